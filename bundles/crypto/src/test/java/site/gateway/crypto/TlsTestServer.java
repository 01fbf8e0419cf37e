package site.gateway.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS server on 127.0.0.1 (plain JDK) requiring a client certificate from the test CA. It answers
 * each connection with a minimal HTTP response, so raw sockets and HTTP clients can both talk to it.
 */
public final class TlsTestServer implements AutoCloseable {
    /** What the server saw of each successful handshake. */
    public record Seen(String protocol, X509Certificate clientCert) {
    }

    private final SSLServerSocket server;
    private final Thread thread;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();

    public TlsTestServer(TestPki.Issued serverCert, X509Certificate clientCa, String... protocols) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverCert.keys().getPrivate(), new char[0], serverCert.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", clientCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(protocols);
        server.setNeedClientAuth(true);
        thread = new Thread(this::serve, "tls-test-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(5000);
                try {
                    s.startHandshake();
                    seen.add(new Seen(s.getSession().getProtocol(), (X509Certificate) s.getSession().getPeerCertificates()[0]));
                    InputStream in = s.getInputStream();
                    readRequest(in);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // the client refused us, or it was a raw handshake-only client: next connection
                }
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // keep serving
            }
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        // Up to the blank line ending the headers (a raw test client sends just that).
        int state = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            state = (b == '\r' || b == '\n') ? state + 1 : 0;
            if (state == 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5000);
    }
}
