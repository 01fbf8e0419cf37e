package site.gateway.api.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's TLS identity and trust. The context it gives is TLS 1.3 only, presents the client
 * certificate, and its trust manager validates the server's chain to the trust anchors, validity,
 * host name (SAN, against the peer host of the SSLEngine) and revocation against the last good CRL.
 * Failures are logged and audited by the provider. The context changes on rotation or when files
 * change: take it afresh for each new connection.
 */
@ProviderType
public interface TlsContextProvider {

    /** The current context. @throws IllegalStateException when no valid key and certificate are loaded */
    SSLContext sslContext();

    /** Protocols to enable on every connection: always exactly {@code TLSv1.3}. */
    default String[] protocols() {
        return new String[] {"TLSv1.3"};
    }

    /** The client certificate chain in use, leaf first. */
    List<X509Certificate> clientChain();

    /** True when the development switch relaxes validation (never by default). */
    boolean developmentMode();

    /** Incremented each time the context changes, so a holder can tell it is stale. */
    long generation();

    /**
     * Installs a CRL fetched from the WMS (§2.4) if its signature verifies against the trust anchors;
     * keeps it on disk as the last good copy.
     */
    void updateCrl(byte[] pemOrDer) throws GeneralSecurityException;

    /**
     * Validates the server chain last accepted for {@code host} again, against the current trust anchors and
     * CRLs. A holder of an open connection calls it when the context changed (a new CRL, new anchors): a TLS
     * session validated once is not validated again by itself. Nothing is known for the host: no exception.
     *
     * @throws java.security.cert.CertificateException when that chain no longer validates (logged and audited
     *         by the provider); the holder closes the connection
     */
    default void revalidateServer(String host) throws java.security.cert.CertificateException {
    }

    /**
     * The earliest {@code nextUpdate} of the CRLs in use (the trust anchor's and any intermediate's), so a
     * monitor can tell how fresh revocation data is; empty when no CRL is installed or the provider does
     * not know. A CRL without {@code nextUpdate} counts as {@link java.time.Instant#MAX}.
     * @since 1.3
     */
    default java.util.Optional<java.time.Instant> crlNextUpdate() {
        return java.util.Optional.empty();
    }
}
