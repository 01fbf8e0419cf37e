package site.gateway.sandbox;

import org.eclipse.jetty.util.ssl.SslContextFactory;
import site.gateway.sandbox.pki.IssuedCertificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/** The server side TLS set-up: the server certificate, mutual TLS, TLS 1.3 (or 1.2 only, on request). */
final class ServerTls {

    private ServerTls() {
    }

    static SslContextFactory.Server create(IssuedCertificate serverCertificate, X509Certificate caCertificate,
                                           ClientCertificateCheck check, boolean tls12Only) {
        try {
            char[] password = "sandbox".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverCertificate.privateKey(), password, serverCertificate.chainArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", caCertificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            X509TrustManager pkix = (X509TrustManager) tmf.getTrustManagers()[0];

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), new TrustManager[] {new ClientTrust(pkix, caCertificate, check)}, null);

            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(context);
            factory.setNeedClientAuth(true);
            factory.setIncludeProtocols(tls12Only ? "TLSv1.2" : "TLSv1.3");
            // The gateway's refusal tests need a working TLS 1.2 server, so keep the JDK's TLS 1.2 suites.
            factory.setExcludeProtocols("SSLv3", "TLSv1", "TLSv1.1");
            factory.setEndpointIdentificationAlgorithm(null);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("Cannot set up server TLS", e);
        }
    }

    /** Checks client certificates in the handshake, or lets any through for an HTTP 401 later. */
    private static final class ClientTrust extends X509ExtendedTrustManager {
        private final X509TrustManager pkix;
        private final X509Certificate ca;
        private final ClientCertificateCheck check;

        ClientTrust(X509TrustManager pkix, X509Certificate ca, ClientCertificateCheck check) {
            this.pkix = pkix;
            this.ca = ca;
            this.check = check;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (check == ClientCertificateCheck.HANDSHAKE) {
                pkix.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // Empty in HTTP mode, so that a client offers its certificate whoever signed it.
            return check == ClientCertificateCheck.HANDSHAKE ? new X509Certificate[] {ca} : new X509Certificate[0];
        }
    }
}
