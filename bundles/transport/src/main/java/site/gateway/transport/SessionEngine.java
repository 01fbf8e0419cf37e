package site.gateway.transport;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;

/**
 * The gateway's side of protocol v1, §2–§4, as the rest of the transport sees it: start, stop, settings,
 * sends and notifications, callable from any thread. Each call becomes a step on the session's one thread
 * ({@code wms-session}), where the parts do the work: {@link Attempts}, {@link Registrar}, {@link CrlFetch},
 * {@link WebSocketSession} with {@link WsEvents} and {@link WmsMessages}, {@link Failover},
 * {@link HttpsFallback}, {@link SeqSync}, around the shared {@link Session} (see docs/transport.md).
 */
final class SessionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);
    /** Frames in flight with none completed for this long: the session is replaced (see WebSocketSession). */
    static final long WRITE_STALL_MS = 60_000;
    /** How long the first register waits for the PLCs configured at start (issue 12.2). */
    static final long REGISTER_WAIT_MS = 10_000;

    private final Session s;

    SessionEngine(TransportEnv env, Settings settings) throws Exception {
        this.s = new Session(env, settings);
    }

    void start() {
        s.loop.execute(() -> {
            s.attempts.start();
            s.crl.schedule();
        });
    }

    /** Orderly stop (§3.5): {@code status shutting-down}, close 1001, then the clients and the thread. */
    void stop() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            s.loop.execute(() -> {
                WsLink l = s.link;
                boolean synced = s.life.phase() == Phase.CONNECTED;
                s.closingOnPurpose = true;
                s.tearDown("gateway shutting down");
                s.life.moveTo(Phase.STOPPED);
                s.cancelAll();
                if (l != null && synced) {
                    l.send(s.wire.status(new StatusSnapshot(GatewayState.SHUTTING_DOWN, "gateway stopping",
                            System.currentTimeMillis()), System.currentTimeMillis()));
                    l.close(1001, "gateway shutting down", () -> closed.complete(null));
                } else {
                    if (l != null) {
                        l.close(1001, "gateway shutting down", () -> closed.complete(null));
                    }
                    closed.complete(null);
                }
            });
            closed.get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("Close at shutdown did not complete: {}", e.toString());
        } finally {
            s.loop.shutdownNow();
            s.clients.closeAll();
        }
    }

    void update(Settings newSettings) {
        s.loop.execute(() -> applySettings(newSettings));
    }

    SessionInfo info() {
        return s.info();
    }

    /** Sends a non-durable message when the WebSocket is synchronised (§3.4, §3.5). */
    boolean send(String json) {
        WsLink l = s.link;
        if (l == null || s.life.phase() != Phase.CONNECTED) {
            return false;
        }
        s.loop.execute(() -> {
            if (s.link == l && s.life.phase() == Phase.CONNECTED) {
                l.send(json);
            }
        });
        return true;
    }

    /** More of the outbox is durable: only durable entries are sent, so this is the wake-up that matters. */
    void durableAdvanced() {
        s.delivery.wake();
    }

    /**
     * Announces a drop at once (§3.2 dropped), even when the WMS has meanwhile acknowledged it (the message
     * reached it before the drop): the buffer.dropped alert reports every discarded seq, and the WMS must
     * hear of the same ranges. Otherwise they wait for the next welcome or HTTPS batch.
     */
    void dropped(SeqRange range) {
        s.loop.execute(() -> {
            if (s.life.phase() == Phase.CONNECTED) {
                s.link.send(s.wire.dropped(List.of(range)));
            } else if (s.life.phase() != Phase.STOPPED) {
                s.dropsToAnnounce.add(range);
            }
        });
    }

    void statusChanged(StatusSnapshot snapshot) {
        s.loop.execute(() -> {
            if (s.life.phase() == Phase.CONNECTED) {
                s.link.send(s.wire.status(snapshot, System.currentTimeMillis()));
            }
        });
    }

    /**
     * The TLS context changed (the crypto bundle's {@code TlsContextGeneration} marker, read when bound and when
     * updated). With a renewed certificate on trial (§2.3, §5) the gateway registers again over new TLS
     * connections (fresh clients, nothing pooled), so that the WMS's verdict confirms or rolls back the new
     * pair; other changes (CRL, anchors) apply to the next connection by themselves. A generation the clients
     * already have (a marker bound after the transport started) changes nothing.
     */
    void tlsChanged(long generation, boolean pairOnTrial) {
        s.loop.execute(() -> {
            if (s.life.phase() == Phase.STOPPED || !pairOnTrial || generation <= s.clients.generation()) {
                revalidateOpenSession();
                return;
            }
            JettyClients old;
            try {
                old = s.clients.replace(s.settings, generation);
            } catch (Exception e) {
                LOG.error("Cannot build TLS clients with the renewed certificate", e);
                s.env.certificateVerdict(generation, false, "TLS clients: " + e.getMessage());
                return;
            }
            LOG.info("Renewed certificate on trial: registering again over a new TLS connection");
            s.registration = null;
            s.reconnectNow("certificate renewed");
            s.clients.retire(old); // after the old WebSocket's close frame went out
        });
    }

    /**
     * New anchors or CRLs apply to new connections by themselves; the open session was validated with the old
     * ones, so its server certificate is checked again (§1), and a session that is no longer trusted is closed.
     */
    private void revalidateOpenSession() {
        Phase phase = s.life.phase();
        if (phase != Phase.CONNECTED && phase != Phase.FALLBACK && phase != Phase.SYNCING) {
            return;
        }
        String host = s.endpoints.current().getHost();
        try {
            s.env.tls().revalidateServer(host);
        } catch (java.security.cert.CertificateException e) {
            LOG.error("The WMS server {} is no longer trusted ({}): closing the session", host, e.getMessage());
            s.env.audit(Session.ACTOR, "wms.session-untrusted", s.endpoints.current().toString(), "rejected",
                    java.util.Map.of("reason", String.valueOf(e.getMessage())));
            s.registration = null;
            s.reconnectNow("server certificate no longer trusted");
        }
    }

    /** §2.3: carries a CSR to the WMS with the session's token; blocking, never on the session's thread. */
    String submitCsr(String csrPem) throws java.io.IOException {
        return s.registrar.submitCsr(csrPem);
    }

    /** A listener added while the session is open hears about it at once (on the session thread, in order). */
    void replayTo(WmsSessionListener listener) {
        s.loop.execute(() -> {
            if (s.life.phase() == Phase.CONNECTED) {
                SessionInfo info = s.info();
                s.notify(listener, x -> x.connected(info));
            }
        });
    }

    private void applySettings(Settings next) {
        Settings old = s.settings;
        s.settings = next;
        s.clients.apply(next);
        if (s.life.phase() == Phase.STOPPED) {
            return;
        }
        if (!Objects.equals(old.proxy(), next.proxy())) {
            replaceClients("proxy " + (next.proxy() == null ? "none" : next.proxy()));
        }
        if (old.crlRefreshMs() != next.crlRefreshMs()) {
            s.crl.schedule();
        }
        if (old.tokenRefreshAt() != next.tokenRefreshAt()) {
            s.registrar.scheduleTokenRefresh();
        }
        if (old.healthCheckIntervalMs() != next.healthCheckIntervalMs() && s.failover.healthChecksRunning()) {
            s.failover.scheduleHealthCheck();
        }
        s.attempts.backoffChanged(next);
        if (!old.endpoints().equals(next.endpoints())) {
            s.failover.endpointsChanged(next.endpoints());
        }
    }

    /** New Jetty clients (the proxy is fixed per client); the session reconnects through them at once. */
    private void replaceClients(String why) {
        JettyClients old;
        try {
            old = s.clients.replace(s.settings, s.clients.generation());
        } catch (Exception e) {
            LOG.error("Cannot build the WMS clients for {}: keeping the previous ones", why, e);
            return;
        }
        LOG.info("WMS connections now go through {}", why);
        s.registration = null;
        s.attempts.reconnectOrRetry();
        s.clients.retire(old);
    }

    /** For tests: runs on the session thread and waits. */
    <T> T onLoop(java.util.concurrent.Callable<T> call) throws Exception {
        return s.loop.submit(call).get(5, TimeUnit.SECONDS);
    }

    EndpointSelector endpointsForTest() {
        return s.endpoints;
    }

    WsLink linkForTest() {
        return s.link;
    }

    Phase phase() {
        return s.life.phase();
    }
}
