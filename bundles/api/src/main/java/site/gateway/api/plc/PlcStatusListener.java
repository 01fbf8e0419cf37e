package site.gateway.api.plc;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: told when a PLC's state changes. Must return quickly. */
@ConsumerType
public interface PlcStatusListener {
    void statusChanged(PlcStatus status);
}
