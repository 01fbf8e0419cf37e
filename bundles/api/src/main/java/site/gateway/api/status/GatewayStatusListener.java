package site.gateway.api.status;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: told on every change of the gateway's state. Must return quickly. */
@ConsumerType
public interface GatewayStatusListener {
    void statusChanged(StatusSnapshot status);
}
