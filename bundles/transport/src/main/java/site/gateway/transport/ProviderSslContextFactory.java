package site.gateway.transport;

import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import site.gateway.api.crypto.TlsContextProvider;

/**
 * Jetty's client TLS factory, but every new connection takes the provider's current context (it changes
 * on certificate rotation and CRL updates) and is restricted to the provider's protocols (TLS 1.3 only).
 */
final class ProviderSslContextFactory extends SslContextFactory.Client {
    private final TlsContextProvider tls;

    ProviderSslContextFactory(TlsContextProvider tls) {
        this.tls = tls;
        setEndpointIdentificationAlgorithm("HTTPS");
        setIncludeProtocols(tls.protocols());
        SSLContext initial;
        try {
            initial = tls.sslContext();
        } catch (IllegalStateException e) {
            // No key yet: Jetty needs some context to select cipher suites; connections use the provider's.
            try {
                initial = SSLContext.getDefault();
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        setSslContext(initial);
    }

    @Override
    public SSLEngine newSSLEngine(String host, int port) {
        SSLEngine engine = tls.sslContext().createSSLEngine(host, port);
        customize(engine);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(tls.protocols());
        if (tls.developmentMode()) {
            params.setEndpointIdentificationAlgorithm(null); // the provider logs its relaxed checks
        }
        engine.setSSLParameters(params);
        return engine;
    }
}
