package site.gateway.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Offered by the crypto bundle: after a renewal (§2.3, §5) the new key and certificate are on trial.
 * The transport reports how the first connection with them went: a successful registration over a new
 * TLS connection confirms the pair; a refusal rolls it back to the previous one.
 */
@ProviderType
public interface CertificateRotation {

    /** True while a renewed pair is on trial (not yet confirmed by a successful connection). */
    boolean pending();

    /**
     * A registration over a new TLS connection succeeded. {@code generation} is
     * {@link TlsContextProvider#generation()} of the context that connection was made with; a pair on
     * trial is confirmed only by a connection that used it.
     */
    void confirmCurrent(long generation);

    /**
     * The connection with the pair on trial was refused (TLS handshake or HTTP 401): roll back to the
     * previous pair now instead of waiting for the confirmation timeout. Ignored when nothing is on trial.
     */
    void rejectCurrent(long generation, String reason);
}
