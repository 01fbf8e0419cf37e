package site.gateway.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    /** {@link TlsContextProvider#generation()} when the current clients were built. */
    private long generation;

    WmsClients(TlsContextProvider tls, Settings settings, ScheduledExecutorService loop) throws Exception {
        this.tls = tls;
        this.loop = loop;
        this.generation = tls.generation();
        this.current = new JettyClients(tls, settings);
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
        JettyClients fresh = new JettyClients(tls, s);
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
