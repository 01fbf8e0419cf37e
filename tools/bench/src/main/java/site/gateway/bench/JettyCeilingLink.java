package site.gateway.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Jetty 12's WebSocket client over TLS 1.3 with the client certificate, set up as the gateway's transport sets
 * up its own (bundles/transport {@code JettyClients}, {@code WsDialer}): the same thread pool, 1 MiB message and
 * frame limits, no idle timeout, {@code permessage-deflate} offered. Several sends may be outstanding. Public
 * because Jetty invokes its listener methods through method handles.
 */
public final class JettyCeilingLink implements CeilingLink, Session.Listener.AutoDemanding {
    private static final long MAX_MESSAGE_BYTES = 1024 * 1024;

    private final HttpClient http;
    private final WebSocketClient ws;
    private final Consumer<String> onText;
    private volatile Session session;

    private JettyCeilingLink(SSLContext ssl, Consumer<String> onText) throws Exception {
        this.onText = onText;
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(ssl);
        tls.setIncludeProtocols("TLSv1.3");
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        http = new HttpClient();
        http.setSslContextFactory(tls);
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("ceiling-client");
        threads.setDaemon(true);
        http.setExecutor(threads);
        ws = new WebSocketClient(http);
        ws.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        ws.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
        ws.setMaxFrameSize(MAX_MESSAGE_BYTES);
        ws.setIdleTimeout(Duration.ZERO);
        http.start();
        ws.start();
    }

    static JettyCeilingLink open(SSLContext ssl, URI uri, String subprotocol, String token, Consumer<String> onText)
            throws Exception {
        JettyCeilingLink link = new JettyCeilingLink(ssl, onText);
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setHeader("Authorization", "Bearer " + token);
        request.setSubProtocols(subprotocol);
        request.addExtensions(ExtensionConfig.parse("permessage-deflate"));
        try {
            link.session = link.ws.connect(link, uri, request).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            link.stopClients();
            throw e;
        }
        return link;
    }

    @Override
    public CompletableFuture<Void> send(String text) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        session.sendText(text, Callback.from(() -> written.complete(null), written::completeExceptionally));
        return written;
    }

    @Override
    public boolean deflate() {
        List<String> values = session.getUpgradeResponse().getHeaders("Sec-WebSocket-Extensions");
        return values != null && values.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("permessage-deflate"));
    }

    @Override
    public void onWebSocketText(String message) {
        onText.accept(message);
    }

    @Override
    public void close() throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        session.close(1000, "done", Callback.from(() -> closed.complete(null), closed::completeExceptionally));
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // The sandbox's close can cross ours: Jetty then fails our callback ("Closed") though the session is closed
            // as asked. close() comes after every ack, so the run's figure stands; only a session still open is a failure.
            if (session.isOpen()) {
                throw e;
            }
        } finally {
            stopClients();
        }
    }

    private void stopClients() throws Exception {
        ws.stop();
        http.stop();
    }
}
