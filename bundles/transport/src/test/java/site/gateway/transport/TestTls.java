package site.gateway.transport;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;

/**
 * A test TLS provider from the dev PKI on the plain JDK: TLS 1.3, client certificate, PKIX chain to the
 * dev CA, validity, host name (endpoint identification set by the transport) and the CRL when one is held.
 */
final class TestTls implements TlsContextProvider {
    private volatile IssuedCertificate client;
    private final X509Certificate anchor;
    private final AtomicLong generation = new AtomicLong(1);
    final AtomicInteger crlUpdates = new AtomicInteger();
    private volatile X509CRL crl;

    TestTls(DevPki pki) {
        this(pki, pki.gatewayCertificate());
    }

    TestTls(DevPki pki, IssuedCertificate client) {
        this.client = client;
        this.anchor = pki.caCertificate();
    }

    /** Installs another client certificate, as a rotation would. Returns the new generation. */
    long rotateTo(IssuedCertificate next) {
        client = next;
        return generation.incrementAndGet();
    }

    TestTls withCrl(X509CRL value) {
        crl = value;
        return this;
    }

    @Override
    public SSLContext sslContext() {
        try {
            char[] pw = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("gateway", client.privateKey(), pw, client.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pw);
            PKIXBuilderParameters params = new PKIXBuilderParameters(Set.of(new TrustAnchor(anchor, null)), new X509CertSelector());
            X509CRL held = crl;
            params.setRevocationEnabled(held != null);
            if (held != null) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(held))));
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
        return generation.get();
    }

    @Override
    public void updateCrl(byte[] pemOrDer) throws GeneralSecurityException {
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(pemOrDer));
        parsed.verify(anchor.getPublicKey());
        crl = parsed;
        generation.incrementAndGet();
        crlUpdates.incrementAndGet();
    }
}
