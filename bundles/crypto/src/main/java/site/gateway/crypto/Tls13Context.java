package site.gateway.crypto;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Builds the gateway's client SSLContext: the JDK's {@code TLSv1.3} context wrapped so that every
 * engine and socket it creates has exactly TLSv1.3 enabled, whoever uses it (a JDK TLSv1.3 context
 * alone still enables TLSv1.2 on clients).
 */
public final class Tls13Context {
    private static final String[] PROTOCOLS = {GatewayTrustManager.TLS13};

    private Tls13Context() {
    }

    public static SSLContext create(PrivateKey key, List<X509Certificate> chain, TrustManager trustManager)
            throws GeneralSecurityException {
        SSLContext jdk = SSLContext.getInstance(GatewayTrustManager.TLS13);
        jdk.init(keyManagers(key, chain), new TrustManager[] {trustManager}, new SecureRandom());
        return new SSLContext(new Spi(jdk), jdk.getProvider(), GatewayTrustManager.TLS13) {
        };
    }

    private static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        // An in-memory key store only for the key manager; its password protects nothing on disk.
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        store.setKeyEntry("gateway", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the gateway TLS context is initialised by its provider");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Tls13SocketFactory(delegate.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("the gateway TLS context is for clients only");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return restrict(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return restrict(delegate.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters p = delegate.getDefaultSSLParameters();
            p.setProtocols(PROTOCOLS.clone());
            return p;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            SSLParameters p = delegate.getSupportedSSLParameters();
            p.setProtocols(PROTOCOLS.clone());
            return p;
        }

        private static SSLEngine restrict(SSLEngine engine) {
            engine.setUseClientMode(true);
            engine.setEnabledProtocols(PROTOCOLS.clone());
            return engine;
        }
    }

    private static final class Tls13SocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        Tls13SocketFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket restrict(Socket s) {
            if (s instanceof SSLSocket ssl) {
                ssl.setEnabledProtocols(PROTOCOLS.clone());
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return restrict(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return restrict(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return restrict(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return restrict(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return restrict(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
