package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import site.gateway.sandbox.pki.IssuedCertificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal gateway for testing the sandbox: JDK HttpClient for HTTPS, Jetty WebSocket client,
 * both TLS 1.3 only with the gateway's client certificate and the CA as trust anchor.
 */
public final class TestGateway implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final SSLContext ssl;
    private final java.net.http.HttpClient http;
    private final HttpClient jettyHttp;
    private final WebSocketClient ws;

    TestGateway(IssuedCertificate client, X509Certificate trustAnchor, String... protocols) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("gateway", client.privateKey(), password, client.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", trustAnchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        String[] offered = protocols.length == 0 ? new String[] {"TLSv1.3"} : protocols;
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(offered);
        http = java.net.http.HttpClient.newBuilder().sslContext(ssl).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(5)).build();

        SslContextFactory.Client jettySsl = new SslContextFactory.Client();
        jettySsl.setSslContext(ssl);
        jettySsl.setIncludeProtocols(offered);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(jettySsl);
        jettyHttp = new HttpClient(new HttpClientTransportOverHTTP(connector));
        ws = new WebSocketClient(jettyHttp);
        ws.start();
    }

    HttpResponse<String> post(String url, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postGzip(String url, String contentType, byte[] gzipped) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzipped)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String registerBody(String tenantId, String gatewayId, int protocol) {
        return "{\"protocol\":" + protocol + ",\"tenantId\":\"" + tenantId + "\",\"gatewayId\":\"" + gatewayId + "\","
                + "\"software\":{\"version\":\"1.0.0\",\"bundles\":[]},\"plcs\":[],\"lastAckedSeq\":0,\"startedAt\":1764259200000}";
    }

    /** Registers and returns the answer (asserting 200). */
    JsonNode register(WmsSandbox wms, String tenantId, String gatewayId) throws Exception {
        HttpResponse<String> response = post(wms.baseUrl() + "/api/v1/gateways/register", null, "application/json",
                registerBody(tenantId, gatewayId, 1));
        if (response.statusCode() != 200) {
            throw new AssertionError("register answered " + response.statusCode() + ": " + response.body());
        }
        return MAPPER.readTree(response.body());
    }

    /** Opens the WebSocket with the token; deflate offered when asked. */
    Conversation connect(URI uri, String token, boolean deflate) throws Exception {
        return connect(uri, token, deflate, WmsSandbox.SUBPROTOCOL);
    }

    Conversation connect(URI uri, String token, boolean deflate, String... subprotocols) throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        if (subprotocols.length > 0) {
            request.setSubProtocols(subprotocols);
        }
        if (token != null) {
            request.setHeader("Authorization", "Bearer " + token);
        }
        if (deflate) {
            request.addExtensions("permessage-deflate");
        }
        Conversation conversation = new Conversation();
        try {
            ws.connect(conversation, uri, request).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeException upgrade) {
                throw upgrade;
            }
            throw e;
        }
        return conversation;
    }

    @Override
    public void close() throws Exception {
        ws.stop();
        jettyHttp.stop();
    }

    /** The gateway's end of one WebSocket session. */
    public static final class Conversation implements Session.Listener.AutoDemanding {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final BlockingQueue<Boolean> pongs = new LinkedBlockingQueue<>();
        volatile Session session;
        volatile Throwable error;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            try {
                received.add(MAPPER.readTree(message));
            } catch (Exception e) {
                received.add(MAPPER.createObjectNode().put("type", "unparseable").put("text", message));
            }
        }

        @Override
        public void onWebSocketPong(java.nio.ByteBuffer payload) {
            pongs.add(true);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closeCode.complete(statusCode);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            error = cause; // onWebSocketClose follows with the code
        }

        void send(String text) {
            session.sendText(text, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        /** The next message of the type, skipping others (heartbeats...). */
        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                JsonNode message = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no " + type + " message within 30 s");
                }
                if (type.equals(message.path("type").asText())) {
                    return message;
                }
            }
        }

        /** The next ack whose upTo is at least {@code upTo}. */
        JsonNode ackAtLeast(long upTo) throws InterruptedException {
            while (true) {
                JsonNode ack = next("ack");
                if (ack.get("upTo").longValue() >= upTo) {
                    return ack;
                }
            }
        }
    }
}
