package site.gateway.sandbox;

/** Where an unknown client certificate is refused (protocol §1 allows both). */
public enum ClientCertificateCheck {
    /** In the TLS handshake (chain to the CA); revoked certificates still get HTTP 401. */
    HANDSHAKE,
    /** The handshake takes any client certificate; HTTP answers 401 to unknown or revoked ones. */
    HTTP
}
