package site.gateway.transport;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import site.gateway.api.crypto.TlsContextProvider;

/**
 * The Jetty clients the session talks to the WMS with. They are replaced when what is fixed per client
 * changes (a renewed certificate on trial, the proxy); the replaced ones are closed a little later, after
 * the old WebSocket's close frame went out, or at stop.
 */
final class WmsClients {
    private final TlsContextProvider tls;
    private final ScheduledExecutorService loop;
    private final Set<JettyClients> retired = ConcurrentHashMap.newKeySet();
    private volatile JettyClients current;
    private final BiConsumer<URI, String> retryAfter;
    /** {@link TlsContextProvider#generation()} when the current clients were built. */
    private long generation;

    /** @param retryAfter told of every 429/503 answer to an HTTPS request, whichever clients sent it */
    WmsClients(TlsContextProvider tls, Settings settings, ScheduledExecutorService loop, BiConsumer<URI, String> retryAfter)
            throws Exception {
        this.tls = tls;
        this.loop = loop;
        this.retryAfter = retryAfter;
        this.generation = tls.generation();
        this.current = new JettyClients(tls, settings, retryAfter);
    }

    WmsHttp http() {
        return current.http();
    }

    WsDialer dialer() {
        return current.dialer();
    }

    long generation() {
        return generation;
    }

    void apply(Settings s) {
        current.apply(s);
    }

    /** New clients (built before anything is replaced: a failure keeps the current ones); returns the old ones. */
    JettyClients replace(Settings s, long tlsGeneration) throws Exception {
        JettyClients fresh = new JettyClients(tls, s, retryAfter);
        JettyClients old = current;
        current = fresh;
        generation = tlsGeneration;
        return old;
    }

    /** Closes replaced clients shortly after: the old WebSocket's close frame goes out through them first. */
    void retire(JettyClients old) {
        retired.add(old);
        loop.schedule(() -> {
            if (retired.remove(old)) {
                old.close();
            }
        }, 2, TimeUnit.SECONDS);
    }

    void closeAll() {
        current.close();
        retired.forEach(JettyClients::close);
        retired.clear();
    }
}
