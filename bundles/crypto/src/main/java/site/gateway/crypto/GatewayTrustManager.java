package site.gateway.crypto;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust manager for connections to the WMS: validates the server itself (it does not delegate to the
 * JDK's default checks) with the host taken from the SSLEngine or socket, and insists on TLS 1.3.
 * Every rejection is reported before the handshake fails. In development mode failures are reported
 * as warnings and the connection goes ahead.
 */
public final class GatewayTrustManager extends X509ExtendedTrustManager {
    static final String TLS13 = "TLSv1.3";

    /** Told about every decision that an operator must see. */
    public interface Observer {
        void rejected(String host, String reason);

        void developmentConnection(String host, String relaxedFailure);

        /** The server's chain validated; {@code path} leaf first, without the trust anchor. */
        default void validated(String host, java.util.List<X509Certificate> path) {
        }
    }

    private final ChainValidator validator;
    private final boolean developmentMode;
    private final Observer observer;

    public GatewayTrustManager(ChainValidator validator, boolean developmentMode, Observer observer) {
        this.validator = validator;
        this.developmentMode = developmentMode;
        this.observer = observer;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        check(chain, engine == null ? null : engine.getPeerHost(), session == null ? null : session.getProtocol());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        String host = null;
        String protocol = null;
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null) {
            host = ssl.getHandshakeSession().getPeerHost();
            protocol = ssl.getHandshakeSession().getProtocol();
        }
        check(chain, host, protocol);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, null, null);
    }

    private void check(X509Certificate[] chain, String host, String protocol) throws CertificateException {
        String failure = null;
        if (protocol != null && !TLS13.equals(protocol)) {
            failure = "negotiated " + protocol + "; only " + TLS13 + " is allowed";
        } else {
            try {
                observer.validated(host, validator.validateServer(chain, host));
            } catch (CertificateException e) {
                failure = e.getMessage();
            }
        }
        if (developmentMode) {
            observer.developmentConnection(host, failure);
            return;
        }
        if (failure != null) {
            observer.rejected(host, failure);
            throw new CertificateException("WMS server " + host + " rejected: " + failure);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("the gateway accepts no TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("the gateway accepts no TLS clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the gateway accepts no TLS clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
