package site.gateway.transport;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;
import site.gateway.testsupport.DevTlsContext;

/**
 * The transport tests' TLS provider: {@link DevTlsContext}'s context (TLS 1.3, client certificate, PKIX
 * chain to the dev CA, validity; host names are checked by the transport), plus what these tests need on
 * top: the CRL the transport fetches, checked when held, and client certificates rotated in place.
 */
final class TestTls implements TlsContextProvider {
    private volatile IssuedCertificate client;
    private final X509Certificate anchor;
    private final AtomicLong generation = new AtomicLong(1);
    final AtomicInteger crlUpdates = new AtomicInteger();
    private volatile X509CRL crl;
    /** What {@link #revalidateServer} says (null: still trusted), and the hosts asked about. */
    volatile String untrusted;
    final java.util.List<String> revalidated = new java.util.concurrent.CopyOnWriteArrayList<>();

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

    /** A new CRL or new anchors, as the crypto bundle announces them. Returns the new generation. */
    long changed() {
        return generation.incrementAndGet();
    }

    @Override
    public void revalidateServer(String host) throws java.security.cert.CertificateException {
        revalidated.add(host);
        if (untrusted != null) {
            throw new java.security.cert.CertificateException(untrusted);
        }
    }

    @Override
    public SSLContext sslContext() {
        return DevTlsContext.sslContext(client, anchor, crl);
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
