package site.gateway.testsupport;

import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;

/**
 * TLS 1.3 client context from the sandbox's development PKI on the plain JDK (the crypto bundle's job
 * in the gateway): the gateway certificate, trust in the dev CA only, no revocation checks.
 * Needs site.gateway.wms-sandbox on the test class path.
 */
public final class DevTlsContext implements TlsContextProvider {
    private final IssuedCertificate client;
    private final X509Certificate anchor;

    public DevTlsContext(DevPki pki) {
        this.client = pki.gatewayCertificate();
        this.anchor = pki.caCertificate();
    }

    @Override
    public SSLContext sslContext() {
        return sslContext(client, anchor, null);
    }

    /**
     * A TLS 1.3 client context presenting {@code client}, trusting {@code anchor} only (PKIX: chain and
     * validity), checking revocation against {@code crl} when one is given.
     */
    public static SSLContext sslContext(IssuedCertificate client, X509Certificate anchor, X509CRL crl) {
        try {
            char[] pw = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("gateway", client.privateKey(), pw, client.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            PKIXBuilderParameters params = new PKIXBuilderParameters(Set.of(new TrustAnchor(anchor, null)),
                    new X509CertSelector());
            params.setRevocationEnabled(crl != null);
            if (crl != null) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(new CertPathTrustManagerParameters(params));
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<X509Certificate> clientChain() {
        return List.of(client.chainArray());
    }

    @Override
    public boolean developmentMode() {
        return false;
    }

    @Override
    public long generation() {
        return 1;
    }

    @Override
    public void updateCrl(byte[] pemOrDer) {
        // The sandbox's CRL is not needed; TLS validation is the crypto and transport bundles' own tests' subject.
    }
}
