package site.gateway.api.crypto;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: told when the TLS context changed (new key, certificate, anchors or CRL). */
@ConsumerType
public interface TlsContextListener {
    void tlsContextChanged(long generation);
}
