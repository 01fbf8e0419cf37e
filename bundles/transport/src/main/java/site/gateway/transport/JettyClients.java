package site.gateway.transport;

import java.time.Duration;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import site.gateway.api.crypto.TlsContextProvider;

/**
 * The Jetty HTTP and WebSocket clients of one transport instance, on the provider's TLS, through the configured
 * forward proxy if any (the WebSocket client shares the HTTP client, so the upgrade takes the same path).
 */
final class JettyClients implements AutoCloseable {
    /** §3: at most 1 MiB per message after decompression; larger ones are closed with 1009 by Jetty. */
    static final long MAX_MESSAGE_BYTES = 1024 * 1024;

    private final HttpClient http;
    private final WebSocketClient ws;
    private volatile int gzipMinBytes;
    private final java.util.function.BiConsumer<java.net.URI, String> retryAfter;

    /** @param retryAfter told of every 429/503 answer to an HTTPS request ({@link WmsHttp}) */
    JettyClients(TlsContextProvider tls, Settings settings, java.util.function.BiConsumer<java.net.URI, String> retryAfter)
            throws Exception {
        this.retryAfter = retryAfter;
        http = new HttpClient();
        http.setSslContextFactory(new ProviderSslContextFactory(tls));
        if (settings.proxy() != null) {
            // https targets go through a CONNECT tunnel: TLS (and its validation) stays end to end.
            http.getProxyConfiguration().addProxy(new HttpProxy(settings.proxy().getHost(), settings.proxy().getPort()));
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("wms-client");
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setFollowRedirects(false);
        http.setIdleTimeout(60_000);
        ws = new WebSocketClient(http);
        shrinkWebSocketPool(threads);
        ws.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        ws.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
        // One message per frame (§3): the frame limit is the message limit. Jetty's default is 64 KiB; frames
        // above it were accepted only because auto-fragmentation splits them, which a setting may turn off.
        ws.setMaxFrameSize(MAX_MESSAGE_BYTES);
        ws.setIdleTimeout(Duration.ZERO); // liveness is the half-open watch's job (3 heartbeat intervals)
        ws.setStopAtShutdown(false);
        apply(settings);
        http.start();
        ws.start();
    }

    /**
     * Jetty's WebSocket client brings its own thread pool (its components' executor, named "WebSocket@..."), which
     * keeps 8 idle threads from start; one session needs one or two. Found among the client's beans before start.
     */
    private void shrinkWebSocketPool(QueuedThreadPool httpThreads) {
        for (QueuedThreadPool pool : ws.getContainedBeans(QueuedThreadPool.class)) {
            if (pool != httpThreads) {
                pool.setMinThreads(1);
                pool.setMaxThreads(16);
                pool.setReservedThreads(0);
                pool.setName("wms-websocket");
                pool.setDaemon(true);
            }
        }
    }

    /** Threads of the WebSocket client's own pool (not the HTTP client's). */
    int webSocketThreads() {
        return ws.getContainedBeans(QueuedThreadPool.class).stream().filter(p -> p.getName().startsWith("wms-websocket"))
                .mapToInt(QueuedThreadPool::getThreads).sum();
    }

    void apply(Settings s) {
        gzipMinBytes = s.gzipMinBytes();
        http.setConnectTimeout(s.connectTimeoutMs());
        ws.setConnectTimeout(s.connectTimeoutMs());
    }

    WmsHttp http() {
        return new WmsHttp(http, () -> gzipMinBytes, retryAfter);
    }

    /** The largest frame the WebSocket client accepts without relying on auto-fragmentation. */
    long maxFrameSize() {
        return ws.getMaxFrameSize();
    }

    WsDialer dialer() {
        return new WsDialer(ws);
    }

    @Override
    public void close() {
        try {
            ws.stop();
        } catch (Exception e) {
            // best effort at shutdown
        }
        try {
            http.stop();
        } catch (Exception e) {
            // best effort at shutdown
        }
    }
}
