package site.gateway.transport;

import java.net.URI;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.support.thread.DaemonThreads;

/**
 * The state every part of the WMS session shares, and the transitions they all use: the {@link Lifecycle}
 * (phase and epoch), the registration and link in use, and going back to waiting, tearing a session down and
 * reconnecting. Every field is changed on the one session thread ({@link #loop}); the volatile ones are also
 * read by {@link #info()} from any thread. The parts reach each other through this object.
 */
final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    static final String ACTOR = "site.gateway.transport";

    final TransportEnv env;
    final Outbox outbox;
    final ScheduledExecutorService loop;
    final Wire wire = new Wire();
    final Batcher batcher = new Batcher();
    final Backoff backoff = new Backoff(bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    final Lifecycle life = new Lifecycle();
    final RateMeter rate = new RateMeter();
    final Delivery delivery;
    final EndpointSelector endpoints;
    final WmsClients clients;
    /** Drops reported while not synchronised: announced after the welcome or in the next HTTPS batch. */
    final DropsToAnnounce dropsToAnnounce = new DropsToAnnounce();

    final Attempts attempts;
    final Registrar registrar;
    final CrlFetch crl;
    final WebSocketSession webSocket;
    final WmsMessages messages;
    final Failover failover;
    final HttpsFallback fallback;
    final SeqSync seqSync;

    volatile Settings settings;
    volatile Registration registration;
    volatile WsLink link;
    volatile long connectedSince;
    volatile long lastFrameAt;
    /** When the WMS last said it is alive on purpose (its heartbeat, an HTTPS fallback answer): SessionInfo. */
    volatile long lastWmsHeartbeatAt;
    volatile long sessionsOpened;
    volatile URI lastEndpoint;
    /** Moves to another endpoint since start (failover, failback, a changed endpoint list). */
    volatile long failovers;
    /** The session being torn down is closed on purpose (renewal, re-register, failback, stop), not lost. */
    boolean closingOnPurpose;
    boolean needTokenRefresh;
    boolean authAlertRaised;
    int upgradeFailures;
    /** A health probe is deciding whether blocked upgrades lead to the HTTPS fallback. */
    boolean confirmingFallback;
    /** Liveness of the open session: half-open watch (WebSocket) or answers over HTTPS (fallback). */
    ScheduledFuture<?> watchTimer;

    Session(TransportEnv env, Settings settings) throws Exception {
        this.env = env;
        this.outbox = env.outbox();
        this.settings = settings;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("wms-session"));
        executor.setRemoveOnCancelPolicy(true);
        this.loop = executor;
        this.endpoints = new EndpointSelector(settings.endpoints());
        this.attempts = new Attempts(this);
        // Every 429/503 to an HTTPS request holds the endpoint back, whichever request it answered (§2).
        this.clients = new WmsClients(env.tls(), settings, loop, attempts::noteRetryAfter);
        this.delivery = new Delivery(outbox, batcher, loop, () -> this.settings, rate);
        this.registrar = new Registrar(this);
        this.crl = new CrlFetch(this);
        this.webSocket = new WebSocketSession(this);
        this.messages = new WmsMessages(this);
        this.failover = new Failover(this);
        this.fallback = new HttpsFallback(this);
        this.seqSync = new SeqSync(this);
    }

    SessionInfo info() {
        Registration r = registration;
        URI ep = lastEndpoint;
        long opened = sessionsOpened;
        Phase phase = life.phase();
        return new SessionInfo(phase.sessionState(), ep == null ? null : ep.toString(),
                r == null ? null : r.sessionId(), connectedSince, Math.max(0, opened - 1),
                r == null ? 10 : r.heartbeatIntervalSeconds(), rate.perSecond(System.currentTimeMillis()), lastFrameAt,
                phase == Phase.FALLBACK ? SessionInfo.HTTPS_FALLBACK : SessionInfo.WEBSOCKET, delivery.resent(), failovers,
                lastWmsHeartbeatAt);
    }

    /** The session is open ({@code CONNECTED} after the welcome, or {@code FALLBACK}): the counters of success. */
    void opened(Phase phase) {
        life.moveTo(phase);
        connectedSince = System.currentTimeMillis();
        sessionsOpened++;
        backoff.reset();
        endpoints.recordSuccess();
        authAlertRaised = false;
    }

    /** Tells listeners and the marker that the session is open, and the audit trail. */
    void announceOpen() {
        SessionInfo info = info();
        env.audit(ACTOR, "wms.session", info.endpoint(), "opened", java.util.Map.of("sessionId",
                String.valueOf(info.sessionId()), "transport", info.transport()));
        for (WmsSessionListener listener : env.sessionListeners()) {
            notify(listener, x -> x.connected(info));
        }
        env.sessionOpened(info, clients.generation());
    }

    void toWaiting() {
        confirmingFallback = false;
        if (life.phase() != Phase.WAITING && life.phase() != Phase.STOPPED) {
            life.moveTo(Phase.WAITING);
        }
    }

    /** Forgets the link (without closing it) and tells listeners. Leaves the phase to the caller. */
    void tearDown(String reason) {
        boolean wasConnected = life.phase() == Phase.CONNECTED || life.phase() == Phase.FALLBACK;
        delivery.stop();
        cancel(watchTimer);
        webSocket.cancelTimers();
        failover.cancelHealthChecks();
        fallback.cancelTimers();
        link = null;
        connectedSince = 0;
        if (wasConnected) {
            Registration r = registration;
            SessionInfo info = new SessionInfo(SessionState.DISCONNECTED, endpoints.current().toString(),
                    r == null ? null : r.sessionId(), 0, Math.max(0, sessionsOpened - 1),
                    r == null ? 10 : r.heartbeatIntervalSeconds(), rate.perSecond(System.currentTimeMillis()), lastFrameAt,
                    SessionInfo.WEBSOCKET, delivery.resent(), failovers, lastWmsHeartbeatAt);
            env.audit(ACTOR, "wms.session", info.endpoint(), "closed", java.util.Map.of("reason", reason,
                    "onPurpose", closingOnPurpose));
            env.sessionClosed(reason, closingOnPurpose);
            for (WmsSessionListener listener : env.sessionListeners()) {
                notify(listener, x -> x.disconnected(info, reason));
            }
        }
        closingOnPurpose = false;
    }

    /** Closes the current link cleanly (1000) and starts a new attempt at once. */
    void reconnectNow(String reason) {
        WsLink l = link;
        closingOnPurpose = true;
        tearDown(reason);
        if (l != null) {
            l.close(1000, reason, () -> { });
        }
        toWaiting();
        backoff.reset();
        attempts.attempt();
    }

    /** Leaves the attempt or session in progress at once (no close frame): the link is broken or abandoned. */
    void abort(String reason) {
        WsLink l = link;
        tearDown(reason);
        if (l != null) {
            l.abort();
        }
        toWaiting();
    }

    /** A durable message larger than a frame can carry (§3: 1 MiB) can never be delivered. */
    void oversized(OutboxEntry entry) {
        LOG.error("Durable message seq {} ({} bytes) exceeds the 1 MiB frame limit: announced as dropped", entry.seq(),
                entry.json().length);
        env.audit(ACTOR, "message.oversized", "seq " + entry.seq(), "dropped", java.util.Map.of("bytes", entry.json().length));
    }

    /**
     * Runs one step of the session on its thread. A step that throws (a bug, a missing class at run time)
     * is logged and the session goes back to waiting instead of stalling silently inside a future.
     */
    void guarded(String step, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            LOG.error("Session step '{}' failed; retrying with backoff", step, t);
            if (life.phase() != Phase.STOPPED) {
                abort("internal error in " + step);
                attempts.failed(Attempts.Wait.BACKOFF);
            }
        }
    }

    void notify(WmsSessionListener listener, Consumer<WmsSessionListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("Session listener {} failed", listener, e);
        }
    }

    void cancelAll() {
        attempts.cancelTimers();
        registrar.cancelTimers();
        crl.cancelTimers();
        failover.cancelTimers();
        cancel(watchTimer);
        webSocket.cancelTimers();
        fallback.cancelTimers();
    }

    static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** §2.5 health: a 200 with {@code "status":"ok"}. */
    boolean healthy(HttpReply reply) {
        if (reply.status() != 200) {
            return false;
        }
        try {
            return "ok".equals(wire.mapper().readTree(reply.body()).path("status").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
