package site.gateway.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.crypto.CertificateRotation;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;

/**
 * The gateway's side of protocol v1, §2–§4: register, token refresh, CRL, WebSocket session with
 * hello/welcome, delivery and acks, close codes, reconnection with backoff, failover and failback, HTTPS
 * fallback. Every state change happens on one thread ({@code wms-session}); network answers come back to it.
 */
final class SessionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);
    private static final int WS_FRAMES_IN_FLIGHT = 8;
    /** Frames in flight with none completed for this long: the session is replaced (see scheduleWatch). */
    static final long WRITE_STALL_MS = 60_000;
    private static final String ACTOR = "site.gateway.transport";
    /** How long the first register waits for the PLCs configured at start (issue 12.2). */
    static final long REGISTER_WAIT_MS = 10_000;

    private enum Wait { BACKOFF, MAXIMUM }

    private final TransportEnv env;
    private final Outbox outbox;
    private final ScheduledExecutorService loop;
    private final Wire wire = new Wire();
    private final Batcher batcher = new Batcher();
    private final Backoff backoff = new Backoff(bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    private final Lifecycle life = new Lifecycle();
    private final RateMeter rate = new RateMeter();
    private final Delivery delivery;
    private final EndpointSelector endpoints;
    private volatile JettyClients clients;
    private volatile WmsHttp http;
    private volatile WsDialer dialer;
    /** {@link site.gateway.api.crypto.TlsContextProvider#generation()} when the current clients were built. */
    private long clientsGeneration;
    /** Clients replaced after a certificate renewal, closed shortly after (or at stop). */
    private final java.util.Set<JettyClients> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile Settings settings;
    private volatile Registration registration;
    private volatile WsLink link;
    private volatile long connectedSince;
    private volatile long lastFrameAt;
    private volatile long sessionsOpened;
    private volatile URI lastEndpoint;
    /** Until when a register waits for an incomplete body; set at start. */
    private long registerWaitUntil;
    private String registerWaitLogged;
    /** The session being torn down is closed on purpose (renewal, re-register, failback, stop), not lost. */
    private boolean closingOnPurpose;

    private boolean needTokenRefresh;
    /** A close that raced ahead of the upgrade's completion: handled as soon as the link is known. */
    private Object[] earlyClose;
    private boolean authAlertRaised;
    private int upgradeFailures;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> tokenTimer;
    private ScheduledFuture<?> healthTimer;
    private ScheduledFuture<?> crlTimer;
    private ScheduledFuture<?> watchTimer;
    private ScheduledFuture<?> welcomeTimer;
    private ScheduledFuture<?> fallbackRetryTimer;
    /** Leaves an endpoint that has given no session for {@code failoverAfterMs}, even mid-attempt (a hanging node). */
    private ScheduledFuture<?> failoverTimer;
    /** A health probe is deciding whether blocked upgrades lead to the HTTPS fallback. */
    private boolean confirmingFallback;
    /** When the WMS last asked to register again (§3.7): a WMS repeating it is answered with backoff. */
    private long lastReregisterAt;
    private final InboundLimit inbound = new InboundLimit(InboundLimit.DEFAULT_MAX_WAITING);
    /** The ranges the last hello carried: those need no {@code dropped} message after the welcome. */
    private java.util.Set<SeqRange> helloRanges = java.util.Set.of();
    /** Drops reported while not synchronised: announced after the welcome or in the next HTTPS batch. */
    private final DropsToAnnounce dropsToAnnounce = new DropsToAnnounce();
    /** Commands the WMS sent before its welcome reached us: answered after {@code status} (§3.1.3). */
    private final List<String> commandsBeforeWelcome = new ArrayList<>();
    /** Frames that arrived between the upgrade and {@link #opened}: handled once the link is known. */
    private final List<String> framesBeforeOpen = new ArrayList<>();
    /** The highest WMS mark above this gateway's seqs already reported (once per mark). */
    private long aheadSeenAt;

    SessionEngine(TransportEnv env, Settings settings) throws Exception {
        this.env = env;
        this.outbox = env.outbox();
        this.settings = settings;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wms-session");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.loop = executor;
        this.endpoints = new EndpointSelector(settings.endpoints());
        this.clientsGeneration = env.tls().generation();
        this.clients = new JettyClients(env.tls(), settings);
        this.http = clients.http();
        this.dialer = clients.dialer();
        this.delivery = new Delivery(outbox, batcher, loop, () -> this.settings, rate);
    }

    // ---------------------------------------------------------------- public side, any thread

    void start() {
        loop.execute(() -> {
            registerWaitUntil = System.currentTimeMillis() + REGISTER_WAIT_MS;
            life.moveTo(Phase.WAITING);
            attempt();
            scheduleCrlRefresh();
        });
    }

    /** Orderly stop (§3.5): {@code status shutting-down}, close 1001, then the clients and the thread. */
    void stop() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                WsLink l = link;
                boolean synced = life.phase() == Phase.CONNECTED;
                closingOnPurpose = true;
                tearDown("gateway shutting down");
                life.moveTo(Phase.STOPPED);
                cancelAll();
                if (l != null && synced) {
                    l.send(wire.status(new StatusSnapshot(GatewayState.SHUTTING_DOWN, "gateway stopping",
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
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Close at shutdown did not complete: {}", e.toString());
        } finally {
            loop.shutdownNow();
            clients.close();
            retired.forEach(JettyClients::close);
            retired.clear();
        }
    }

    void update(Settings newSettings) {
        loop.execute(() -> applySettings(newSettings));
    }

    SessionInfo info() {
        Registration r = registration;
        URI ep = lastEndpoint;
        long opened = sessionsOpened;
        return new SessionInfo(life.phase().sessionState(), ep == null ? null : ep.toString(),
                r == null ? null : r.sessionId(), connectedSince, Math.max(0, opened - 1),
                r == null ? 10 : r.heartbeatIntervalSeconds(), rate.perSecond(System.currentTimeMillis()), lastFrameAt,
                life.phase() == Phase.FALLBACK ? SessionInfo.HTTPS_FALLBACK : SessionInfo.WEBSOCKET);
    }

    /** Sends a non-durable message when the WebSocket is synchronised (§3.4, §3.5). */
    boolean send(String json) {
        WsLink l = link;
        if (l == null || life.phase() != Phase.CONNECTED) {
            return false;
        }
        loop.execute(() -> {
            if (link == l && life.phase() == Phase.CONNECTED) {
                l.send(json);
            }
        });
        return true;
    }

    /** Something was appended or became durable (only durable entries are sent). */
    void appended() {
        delivery.wake();
    }

    /**
     * Announces a drop at once (§3.2 dropped), even when the WMS has meanwhile acknowledged it (the message
     * reached it before the drop): the buffer.dropped alert reports every discarded seq, and the WMS must
     * hear of the same ranges. Otherwise they wait for the next welcome or HTTPS batch.
     */
    void dropped(SeqRange range) {
        loop.execute(() -> {
            if (life.phase() == Phase.CONNECTED) {
                link.send(wire.dropped(List.of(range)));
            } else if (life.phase() != Phase.STOPPED) {
                dropsToAnnounce.add(range);
            }
        });
    }

    void statusChanged(StatusSnapshot snapshot) {
        loop.execute(() -> {
            if (life.phase() == Phase.CONNECTED) {
                link.send(wire.status(snapshot, System.currentTimeMillis()));
            }
        });
    }

    /**
     * The TLS context changed. While a renewed certificate is on trial (§2.3, §5) the gateway registers
     * again over new TLS connections (fresh clients, nothing pooled) so that the new pair is confirmed or
     * rolled back; other changes (CRL) apply to the next connection by themselves.
     */
    void tlsChanged(long generation) {
        loop.execute(() -> {
            CertificateRotation rotation = env.rotation();
            if (life.phase() == Phase.STOPPED || rotation == null || !rotation.pending() || generation <= clientsGeneration) {
                revalidateOpenSession();
                return;
            }
            JettyClients fresh;
            try {
                fresh = new JettyClients(env.tls(), settings);
            } catch (Exception e) {
                LOG.error("Cannot build TLS clients with the renewed certificate", e);
                rotation.rejectCurrent(generation, "TLS clients: " + e.getMessage());
                return;
            }
            JettyClients old = clients;
            clients = fresh;
            http = fresh.http();
            dialer = fresh.dialer();
            clientsGeneration = generation;
            LOG.info("Renewed certificate on trial: registering again over a new TLS connection");
            registration = null;
            reconnectNow("certificate renewed");
            retired.add(old);
            loop.schedule(() -> {
                if (retired.remove(old)) {
                    old.close(); // after the old WebSocket's close frame went out
                }
            }, 2, TimeUnit.SECONDS);
        });
    }

    /**
     * New anchors or CRLs apply to new connections by themselves; the open session was validated with the old
     * ones, so its server certificate is checked again (§1), and a session that is no longer trusted is closed.
     */
    private void revalidateOpenSession() {
        Phase phase = life.phase();
        if (phase != Phase.CONNECTED && phase != Phase.FALLBACK && phase != Phase.SYNCING) {
            return;
        }
        String host = endpoints.current().getHost();
        try {
            env.tls().revalidateServer(host);
        } catch (java.security.cert.CertificateException e) {
            LOG.error("The WMS server {} is no longer trusted ({}): closing the session", host, e.getMessage());
            env.audit(ACTOR, "wms.session-untrusted", endpoints.current().toString(), "rejected",
                    Map.of("reason", String.valueOf(e.getMessage())));
            registration = null;
            reconnectNow("server certificate no longer trusted");
        }
    }

    /** §2.3: carries a CSR to the WMS with the session's token; blocking, never on the session's thread. */
    String submitCsr(String csrPem) throws java.io.IOException {
        Registration r = registration;
        if (r == null) {
            throw new java.io.IOException("no WMS registration: cannot renew the certificate now");
        }
        try {
            HttpReply reply = http.post(r.endpoint(), "/api/v1/gateways/" + env.gatewayId() + "/certificate", r.token(),
                    "application/pkcs10", csrPem.getBytes(StandardCharsets.US_ASCII), settings.requestTimeoutMs())
                    .get(settings.requestTimeoutMs() + 1000, TimeUnit.MILLISECONDS);
            if (reply.status() != 200) {
                throw new java.io.IOException("certificate renewal answered " + reply.status());
            }
            env.audit(ACTOR, "cert.renewal-submitted", r.endpoint().toString(), "ok", Map.of());
            return new String(reply.body(), StandardCharsets.US_ASCII);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new java.io.IOException("certificate renewal failed: " + Failures.describe(e), e);
        }
    }

    // ---------------------------------------------------------------- attempts

    private void attempt() {
        if (life.phase() != Phase.WAITING) {
            return;
        }
        cancel(attemptTimer);
        long now = System.currentTimeMillis();
        long wait = endpoints.waitBeforeAttempt(now);
        if (wait > 0) {
            int other = endpoints.nextAvailable(now);
            if (other < 0) {
                LOG.info("Waiting {} ms (Retry-After) before the next attempt on {}", wait, endpoints.current());
                scheduleAttempt(wait);
                return;
            }
            // §4: Retry-After holds back that endpoint only; "the gateway may use another endpoint meanwhile".
            URI before = endpoints.current();
            endpoints.select(other);
            LOG.warn("{} asked to wait {} ms (Retry-After): using {} meanwhile", before, wait, endpoints.current());
            env.audit(ACTOR, "wms.failover", endpoints.current().toString(), "ok",
                    Map.of("from", before.toString(), "reason", "Retry-After " + wait + " ms"));
            registration = null;
            upgradeFailures = 0;
        }
        endpoints.troubleStarted(now);
        URI endpoint = endpoints.current();
        lastEndpoint = endpoint;
        Registration r = registration;
        if ((r == null || !r.endpoint().equals(endpoint)) && waitForRegistrationBody()) {
            return;
        } else if (r == null || !r.endpoint().equals(endpoint)) {
            register(endpoint);
        } else if (needTokenRefresh) {
            life.moveTo(Phase.REGISTERING);
            refreshToken(r, life.epoch());
        } else {
            connect(r);
        }
        scheduleFailoverWatch();
    }

    /**
     * RNF-003 (recovery under 30 s whatever the failure): with more than one endpoint, an endpoint that has
     * given no session for {@code failoverAfterMs} since it started failing is left even while an attempt still
     * waits for its answer, instead of after {@code failoverAfterFailures} request timeouts. An upgrade that
     * hangs after a successful register is a blocked WebSocket path: it goes to the HTTPS fallback check.
     */
    private void scheduleFailoverWatch() {
        cancel(failoverTimer);
        long deadline = endpoints.failoverDeadline(settings.failoverAfterMs());
        if (deadline == Long.MAX_VALUE || life.phase() == Phase.WAITING || life.phase() == Phase.STOPPED) {
            return;
        }
        long epoch = life.epoch();
        URI at = endpoints.current();
        failoverTimer = loop.schedule(() -> guarded("failover watch", () -> {
            if (!life.isCurrent(epoch) || !endpoints.current().equals(at) || confirmingFallback) {
                return;
            }
            Phase phase = life.phase();
            Registration r = registration;
            if (phase == Phase.CONNECTING && link == null && r != null && r.endpoint().equals(at) && settings.httpFallback()) {
                upgradeBlocked(r, "no answer to the WebSocket upgrade within " + endpoints.troubleForMs(System.currentTimeMillis()) + " ms");
            } else if (phase == Phase.REGISTERING || phase == Phase.CONNECTING || phase == Phase.SYNCING) {
                abandonAndFailOver("no session for " + endpoints.troubleForMs(System.currentTimeMillis()) + " ms");
            }
        }), Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** Gives up the attempt in progress on the current endpoint and starts one on the next at once. */
    private void abandonAndFailOver(String why) {
        URI before = endpoints.current();
        WsLink l = link;
        tearDown("failover: " + why);
        if (l != null) {
            l.abort();
        }
        toWaiting();
        if (!endpoints.failOver()) {
            failed(Wait.BACKOFF);
            return;
        }
        LOG.warn("Failing over from {} to {}: {}", before, endpoints.current(), why);
        env.audit(ACTOR, "wms.failover", endpoints.current().toString(), "ok", Map.of("from", before.toString(), "reason", why));
        registration = null;
        upgradeFailures = 0;
        backoff.reset();
        attempt();
    }

    /** True (and a retry scheduled) while the register body still misses what was configured at start. */
    private boolean waitForRegistrationBody() {
        String missing = env.registrationIncomplete();
        long now = System.currentTimeMillis();
        if (missing == null) {
            if (registerWaitLogged != null) {
                LOG.info("Registering now (waited because {})", registerWaitLogged);
                registerWaitLogged = null;
            }
            return false;
        }
        if (now >= registerWaitUntil) {
            // INFO: the cause (an invalid PLC configuration, a driver missing) is logged where it is; the PLC
            // is announced in the heartbeats once it runs.
            LOG.info("Registering although {} after {} ms; it is announced in the heartbeats once it runs", missing,
                    REGISTER_WAIT_MS);
            registerWaitUntil = Long.MIN_VALUE; // waited once: later registers do not wait again
            return false;
        }
        if (registerWaitLogged == null) {
            LOG.info("Waiting (at most {} ms) before registering: {}", registerWaitUntil - now, missing);
            registerWaitLogged = missing;
        }
        scheduleAttempt(Math.min(100, registerWaitUntil - now));
        return true;
    }

    /** A listener added while the session is open hears about it at once (on the session thread, in order). */
    void replayTo(WmsSessionListener listener) {
        loop.execute(() -> {
            if (life.phase() == Phase.CONNECTED) {
                SessionInfo info = info();
                notify(listener, x -> x.connected(info));
            }
        });
    }

    private void scheduleAttempt(long delayMs) {
        cancel(attemptTimer);
        attemptTimer = loop.schedule(() -> guarded("attempt", this::attempt), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** A failed attempt: count it on the endpoint (failover), then wait. */
    private void failed(Wait wait) {
        Settings s = settings;
        URI before = endpoints.current();
        long troubleMs = endpoints.troubleForMs(System.currentTimeMillis());
        if (endpoints.recordFailure(s.failoverAfterFailures(), s.failoverAfterMs(), System.currentTimeMillis())) {
            LOG.warn("Failing over from {} to {} ({} ms without a session; at most {} failed attempts or {} ms)", before,
                    endpoints.current(), troubleMs, s.failoverAfterFailures(), s.failoverAfterMs());
            env.audit(ACTOR, "wms.failover", endpoints.current().toString(), "ok", Map.of("from", before.toString()));
            registration = null;
            upgradeFailures = 0;
        }
        long delay = wait == Wait.MAXIMUM ? s.backoffMaxMs() : backoff.next(s);
        LOG.info("Next attempt on {} in {} ms", endpoints.current(), delay);
        scheduleAttempt(delay);
    }

    private void register(URI endpoint) {
        life.moveTo(Phase.REGISTERING);
        long epoch = life.epoch();
        byte[] body = env.registrationBody();
        http.post(endpoint, WmsHttp.REGISTER, null, body, settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> guarded("register", () -> {
                    if (life.isCurrent(epoch)) {
                        registered(endpoint, reply, error);
                    }
                }), loop);
    }

    private void registered(URI endpoint, HttpReply reply, Throwable error) {
        if (error != null) {
            requestFailed("register", endpoint, error);
            return;
        }
        switch (reply.status()) {
            case 200 -> {
                Registration r;
                try {
                    r = wire.registration(endpoint, reply.body(), System.currentTimeMillis());
                } catch (java.io.IOException | IllegalArgumentException e) {
                    LOG.warn("Unusable register answer from {}: {}", endpoint, e.getMessage());
                    toWaiting();
                    failed(Wait.BACKOFF);
                    return;
                }
                registration = r;
                needTokenRefresh = false;
                CertificateRotation rotation = env.rotation();
                if (rotation != null && rotation.pending() && clientsGeneration == env.tls().generation()) {
                    rotation.confirmCurrent(clientsGeneration); // §5: a registration over a new connection confirms the pair
                }
                LOG.info("Registered with {}: session {}, heartbeat {} s, lastReceivedSeq {}", endpoint, r.sessionId(),
                        r.heartbeatIntervalSeconds(), r.lastReceivedSeq());
                env.audit(ACTOR, "wms.registered", endpoint.toString(), "ok", Map.of("sessionId", r.sessionId()));
                synchronise(r.lastReceivedSeq());
                scheduleTokenRefresh();
                fetchCrl(endpoint);
                connect(r);
            }
            case 401, 403 -> refused(endpoint, "register answered " + reply.status());
            case 409 -> {
                LOG.error("{} does not support protocol version 1 (409)", endpoint);
                env.alert(Alert.critical("wms.protocol-unsupported", endpoint + " refused protocol version 1 (409)"));
                env.audit(ACTOR, "wms.registered", endpoint.toString(), "rejected", Map.of("status", 409));
                toWaiting();
                failed(Wait.MAXIMUM);
            }
            default -> httpStatusFailed("register", endpoint, reply);
        }
    }

    /** 401/403 on register, 403 on upgrade, 4403, a refused client certificate: §1, §2.1. */
    private void refused(URI endpoint, String what) {
        LOG.error("The WMS at {} refused this gateway: {}; backing off {} ms", endpoint, what, settings.backoffMaxMs());
        if (!authAlertRaised) {
            authAlertRaised = true;
            env.alert(Alert.critical("wms.auth-rejected", "The WMS at " + endpoint + " refused this gateway: " + what));
        }
        env.audit(ACTOR, "wms.auth", endpoint.toString(), "rejected", Map.of("reason", what));
        CertificateRotation rotation = env.rotation();
        if (rotation != null && rotation.pending()) {
            rotation.rejectCurrent(clientsGeneration, what); // roll back to the previous pair at once
        }
        registration = null;
        toWaiting();
        failed(Wait.MAXIMUM);
    }

    private void httpStatusFailed(String what, URI endpoint, HttpReply reply) {
        if (reply.status() == 429 || reply.status() == 503) {
            noteRetryAfter(endpoint, reply.retryAfter());
        }
        LOG.warn("{} on {} answered {}", what, endpoint, reply.status());
        toWaiting();
        failed(Wait.BACKOFF);
    }

    private void noteRetryAfter(URI endpoint, String header) {
        long asked = RetryAfter.parseMs(header, System.currentTimeMillis());
        long ms = Math.min(asked, settings.retryAfterMaxMs());
        if (asked > ms) {
            LOG.warn("{} asks to retry after {} ms: cut to retryAfterMaxMs {} ms", endpoint, asked, ms);
        }
        if (ms > 0) {
            LOG.info("{} asks to retry after {} ms", endpoint, ms);
            endpoints.retryAfter(endpoint, System.currentTimeMillis() + ms);
        }
    }

    private void requestFailed(String what, URI endpoint, Throwable error) {
        SSLException ssl = Failures.tls(error);
        if (ssl != null && Failures.clientCertificateRefused(error)) {
            refused(endpoint, "client certificate refused in the TLS handshake (" + ssl.getMessage() + ")");
            return;
        }
        if (ssl != null) {
            LOG.error("TLS connection to {} refused: {}", endpoint, Failures.describe(error));
            env.audit(ACTOR, "tls.rejected", endpoint.toString(), "rejected", Map.of("reason", Failures.describe(error)));
        } else {
            LOG.warn("{} on {} failed: {}", what, endpoint, Failures.describe(error));
        }
        toWaiting();
        failed(Wait.BACKOFF);
    }

    private void toWaiting() {
        confirmingFallback = false;
        if (life.phase() != Phase.WAITING && life.phase() != Phase.STOPPED) {
            life.moveTo(Phase.WAITING);
        }
    }

    // ---------------------------------------------------------------- token (§2.2) and CRL (§2.4)

    private void scheduleTokenRefresh() {
        cancel(tokenTimer);
        Registration r = registration;
        if (r == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long at = r.refreshAt(settings.tokenRefreshAt(), now);
        if (at == Long.MAX_VALUE) {
            return;
        }
        tokenTimer = loop.schedule(() -> {
            if (registration == r && life.phase() != Phase.STOPPED) {
                refreshToken(r, -1);
            }
        }, at - now, TimeUnit.MILLISECONDS);
    }

    /**
     * Refreshes the token. With {@code attemptEpoch >= 0} it is a step of a connection attempt (after 4401)
     * and connects afterwards; with -1 it is the scheduled refresh beside an open session.
     */
    private void refreshToken(Registration r, long attemptEpoch) {
        http.post(r.endpoint(), WmsHttp.tokenPath(env.gatewayId()), r.token(), "{}".getBytes(StandardCharsets.US_ASCII),
                settings.requestTimeoutMs()).whenCompleteAsync((reply, error) -> guarded("token refresh", () -> {
                    if (registration != r || life.phase() == Phase.STOPPED
                            || (attemptEpoch >= 0 && !life.isCurrent(attemptEpoch))) {
                        return;
                    }
                    tokenAnswer(r, attemptEpoch, reply, error);
                }), loop);
    }

    private void tokenAnswer(Registration r, long attemptEpoch, HttpReply reply, Throwable error) {
        boolean inAttempt = attemptEpoch >= 0;
        if (error == null && reply.status() == 200) {
            try {
                JsonNode n = wire.tokenAnswer(reply.body());
                long now = System.currentTimeMillis();
                registration = r.withToken(n.path("token").asText(), now, n.path("tokenExpiresAt").asLong(0));
                needTokenRefresh = false;
                LOG.info("Token refreshed at {}", r.endpoint());
                env.audit(ACTOR, "wms.token-refreshed", r.endpoint().toString(), "ok", Map.of());
                scheduleTokenRefresh();
                if (inAttempt) {
                    connect(registration);
                }
                return;
            } catch (java.io.IOException e) {
                LOG.warn("Unusable token answer from {}: {}", r.endpoint(), e.getMessage());
            }
        } else if (error == null && reply.status() == 401) {
            // §2.2: the token is no longer valid: register again (then reconnect).
            LOG.warn("Token refresh refused (401) by {}: registering again", r.endpoint());
            env.audit(ACTOR, "wms.token-refreshed", r.endpoint().toString(), "rejected", Map.of("status", 401));
            registration = null;
            needTokenRefresh = false;
            if (inAttempt) {
                register(r.endpoint());
            } else {
                reconnectNow("token refused: re-registering");
            }
            return;
        } else if (error == null && (reply.status() == 429 || reply.status() == 503)) {
            noteRetryAfter(r.endpoint(), reply.retryAfter());
        } else {
            LOG.warn("Token refresh at {} failed: {}", r.endpoint(),
                    error != null ? Failures.describe(error) : "status " + reply.status());
        }
        if (inAttempt) {
            toWaiting();
            failed(Wait.BACKOFF);
        } else {
            // Retry while the token is still valid; halfway to the expiry, at least 1 s apart.
            long now = System.currentTimeMillis();
            long retryIn = Math.max(1000, Math.min(settings.backoffMaxMs(), (r.tokenExpiresAt() - now) / 2));
            cancel(tokenTimer);
            tokenTimer = loop.schedule(() -> {
                if (registration == r && life.phase() != Phase.STOPPED) {
                    refreshToken(r, -1);
                }
            }, retryIn, TimeUnit.MILLISECONDS);
        }
    }

    private void scheduleCrlRefresh() {
        cancel(crlTimer);
        long every = settings.crlRefreshMs();
        crlTimer = loop.scheduleWithFixedDelay(() -> {
            if (registration != null) {
                fetchCrl(registration.endpoint());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void fetchCrl(URI endpoint) {
        http.get(endpoint, WmsHttp.CRL, settings.requestTimeoutMs()).whenCompleteAsync((reply, error) -> guarded("CRL", () -> {
            if (error != null || reply.status() != 200) {
                LOG.warn("CRL fetch from {} failed: {}", endpoint,
                        error != null ? Failures.describe(error) : "status " + reply.status());
                return;
            }
            try {
                env.tls().updateCrl(reply.body());
                LOG.info("CRL from {} installed", endpoint);
            } catch (GeneralSecurityException | RuntimeException e) {
                LOG.error("CRL from {} rejected: {}", endpoint, e.getMessage());
                env.audit(ACTOR, "crl.rejected", endpoint.toString(), "rejected", Map.of("reason", String.valueOf(e.getMessage())));
            }
        }), loop);
    }

    // ---------------------------------------------------------------- WebSocket (§3)

    private void connect(Registration r) {
        life.moveTo(Phase.CONNECTING);
        long epoch = life.epoch();
        URI uri = r.webSocketUri(env.gatewayId());
        earlyClose = null;
        framesBeforeOpen.clear();
        dialer.connect(uri, r.token(), events(epoch), settings.requestTimeoutMs()).whenCompleteAsync((l, error) -> guarded("WebSocket upgrade", () -> {
            if (!life.isCurrent(epoch) || life.phase() != Phase.CONNECTING) {
                if (l != null) {
                    l.close(1000, "attempt abandoned", () -> { });
                }
                return;
            }
            if (error != null) {
                upgradeFailed(r, error);
            } else {
                opened(r, l);
                if (earlyClose != null) {
                    linkClosed((Integer) earlyClose[0], (String) earlyClose[1]);
                }
            }
        }), loop);
    }

    private void upgradeFailed(Registration r, Throwable error) {
        URI endpoint = r.endpoint();
        Throwable cause = UpgradeFailure.unwrap(error);
        switch (UpgradeFailure.of(cause)) {
            case TOKEN -> {
                LOG.warn("WebSocket upgrade at {} answered 401: refreshing the token", endpoint);
                needTokenRefresh = true;
                toWaiting();
                failed(Wait.BACKOFF);
            }
            case FORBIDDEN -> refused(endpoint, "WebSocket upgrade answered 403");
            case RETRY_LATER -> {
                WsDialer.UpgradeRefused refusedUpgrade = (WsDialer.UpgradeRefused) cause;
                noteRetryAfter(endpoint, refusedUpgrade.retryAfter);
                LOG.warn("WebSocket upgrade at {} answered {}", endpoint, refusedUpgrade.status);
                toWaiting();
                failed(Wait.BACKOFF);
            }
            case TLS -> requestFailed("WebSocket upgrade", endpoint, cause);
            case BLOCKED -> upgradeBlocked(r, Failures.describe(cause));
        }
    }

    /**
     * The WebSocket upgrade failed in a way a proxy or firewall blocks it (another status than 101, reset,
     * closed, no answer, tunnel refused). After {@code failoverAfterFailures} such failures in a row, or
     * {@code failoverAfterMs} without a session, the HTTPS fallback (§2.6) starts if a health probe shows that
     * HTTPS to this endpoint works; otherwise this is an ordinary failure (backoff, failover).
     */
    private void upgradeBlocked(Registration r, String what) {
        cancel(failoverTimer);
        upgradeFailures++;
        long troubleMs = endpoints.troubleForMs(System.currentTimeMillis());
        LOG.warn("WebSocket upgrade at {} failed: {} ({} in a row)", r.endpoint(), what, upgradeFailures);
        Settings s = settings;
        boolean longEnough = upgradeFailures >= s.failoverAfterFailures() || troubleMs >= s.failoverAfterMs();
        if (!s.httpFallback() || !longEnough) {
            toWaiting();
            failed(Wait.BACKOFF);
            return;
        }
        confirmingFallback = true;
        long epoch = life.epoch();
        http.get(r.endpoint(), WmsHttp.HEALTH, s.requestTimeoutMs()).whenCompleteAsync((reply, error) -> guarded("fallback health probe", () -> {
            if (!life.isCurrent(epoch) || life.phase() != Phase.CONNECTING) {
                return;
            }
            confirmingFallback = false;
            if (error == null && healthy(reply)) {
                enterFallback(r, what);
            } else {
                LOG.warn("{} does not answer its health check either ({}): not a blocked WebSocket", r.endpoint(),
                        error != null ? Failures.describe(error) : "status " + reply.status());
                toWaiting();
                failed(Wait.BACKOFF);
            }
        }), loop);
    }

    private WsDialer.Events events(long epoch) {
        java.util.concurrent.atomic.AtomicBoolean floodClosed = new java.util.concurrent.atomic.AtomicBoolean();
        return new WsDialer.Events() {
            @Override
            public void text(WsLink l, String text) {
                if (!inbound.tryAcquire()) {
                    if (floodClosed.compareAndSet(false, true)) {
                        LOG.warn("More than {} WMS frames wait for the session thread: closing the WebSocket with {} "
                                + "(the WMS floods this gateway)", inbound.maxWaiting(), InboundLimit.CLOSE_CODE);
                        env.audit(ACTOR, "wms.inbound-flood", String.valueOf(endpoints.current()), "rejected",
                                Map.of("maxWaiting", inbound.maxWaiting()));
                        l.close(InboundLimit.CLOSE_CODE, "inbound flood", () -> { });
                    }
                    return; // the connection is closing; this frame is not handled
                }
                loop.execute(() -> {
                    try {
                        guarded("incoming message", () -> {
                            if (life.isCurrent(epoch) && link == l) {
                                received(l, text);
                            } else if (life.isCurrent(epoch) && link == null && life.phase() == Phase.CONNECTING) {
                                framesBeforeOpen.add(text); // the WMS spoke first (a command at once): not lost
                            }
                        });
                    } finally {
                        inbound.release();
                    }
                });
            }

            @Override
            public void frameSeen() {
                lastFrameAt = System.currentTimeMillis();
            }

            @Override
            public void closed(WsLink l, int code, String reason) {
                loop.execute(() -> {
                    if (life.isCurrent(epoch) && link == null && life.phase() == Phase.CONNECTING) {
                        earlyClose = new Object[] {code, reason};
                    } else if (life.isCurrent(epoch) && link == l) {
                        linkClosed(code, reason);
                    }
                });
            }

            @Override
            public void failed(WsLink l, Throwable cause) {
                loop.execute(() -> {
                    if (life.isCurrent(epoch) && link == null && l != null && life.phase() == Phase.CONNECTING) {
                        earlyClose = new Object[] {1006, Failures.describe(cause)};
                    } else if (life.isCurrent(epoch) && link == l && l != null) {
                        LOG.warn("WebSocket to {} failed: {}", endpoints.current(), Failures.describe(cause));
                        l.abort();
                        linkClosed(1006, Failures.describe(cause));
                    }
                });
            }
        };
    }

    private void opened(Registration r, WsLink l) {
        link = l;
        life.moveTo(Phase.SYNCING);
        lastFrameAt = System.currentTimeMillis();
        if (!WsDialer.SUBPROTOCOL.equals(l.subprotocol())) {
            LOG.warn("{} did not confirm subprotocol {} (got {})", r.endpoint(), WsDialer.SUBPROTOCOL, l.subprotocol());
        }
        LOG.info("WebSocket open to {} (permessage-deflate {})", r.endpoint(), l.deflate() ? "on" : "off");
        l.send(hello(r));
        long epoch = life.epoch();
        welcomeTimer = loop.schedule(() -> {
            if (life.isCurrent(epoch) && life.phase() == Phase.SYNCING) {
                LOG.warn("No welcome from {} within {} ms", r.endpoint(), settings.requestTimeoutMs());
                l.close(1000, "no welcome", () -> { });
                linkClosed(1006, "no welcome");
            }
        }, settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        scheduleWatch();
        List<String> early = List.copyOf(framesBeforeOpen);
        framesBeforeOpen.clear();
        early.forEach(text -> received(l, text));
    }

    /**
     * §3.1 hello. {@code nextSeq} is the seq after the last durable one: a message not yet on disk has no
     * seq the WMS may rely on. {@code dropped} carries at most {@link DroppedRanges#HELLO_MAX} merged
     * ranges, so that no drop history can push hello past the 1 MiB frame limit; the rest follow in
     * {@code dropped} messages right after the welcome.
     */
    private String hello(Registration r) {
        long lastAcked = outbox.lastAckedSeq();
        List<SeqRange> ranges = DroppedRanges.coalesce(outbox.droppedRanges(), lastAcked);
        List<SeqRange> carried = ranges.size() > DroppedRanges.HELLO_MAX ? ranges.subList(0, DroppedRanges.HELLO_MAX) : ranges;
        helloRanges = new java.util.HashSet<>(carried);
        commandsBeforeWelcome.clear();
        if (carried.size() < ranges.size()) {
            LOG.info("hello carries {} of {} dropped ranges; the rest follow in dropped messages", carried.size(), ranges.size());
        }
        return wire.hello(r.sessionId(), lastAcked, Math.max(outbox.durableSeq(), lastAcked) + 1, outbox.stats().messages(),
                carried, env.status().state().wireName());
    }

    /** After the welcome: every dropped range above the WMS's mark that hello did not carry, in frames far below 1 MiB. */
    private void announceRemainingDrops(WsLink l, long lastReceived) {
        List<SeqRange> rest = new ArrayList<>();
        for (SeqRange range : DroppedRanges.coalesce(outbox.droppedRanges(), lastReceived)) {
            if (!helloRanges.contains(range)) {
                rest.add(range);
            }
        }
        for (SeqRange range : dropsToAnnounce.take(Integer.MAX_VALUE)) {
            if (!helloRanges.contains(range) && !rest.contains(range)) {
                rest.add(range);
            }
        }
        for (List<SeqRange> chunk : DroppedRanges.chunks(rest, DroppedRanges.MESSAGE_MAX)) {
            l.send(wire.dropped(chunk));
        }
    }

    private void received(WsLink l, String text) {
        JsonNode m;
        try {
            m = wire.parseMessage(text);
        } catch (java.io.IOException e) {
            LOG.warn("Malformed message from the WMS ignored: {}", e.getMessage());
            l.send(wire.error("invalid-message", "not a JSON object with a type: " + e.getMessage()));
            return;
        }
        String type = m.path("type").asText();
        switch (type) {
            case "welcome" -> welcome(l, m);
            case "ack" -> ack(l, m);
            case "heartbeat" -> {
                long ts = m.path("ts").asLong(0);
                for (WmsSessionListener listener : env.sessionListeners()) {
                    notify(listener, x -> x.wmsHeartbeat(ts));
                }
            }
            case "command" -> {
                if (life.phase() == Phase.SYNCING) {
                    commandsBeforeWelcome.add(text); // status must be our first message after the welcome
                } else {
                    command(l, text, m);
                }
            }
            case "reregister" -> reregister();
            case "error" -> wmsError(m);
            default -> LOG.debug("Ignoring message of unknown type {}", type);
        }
    }

    /**
     * §3.7 reregister: register again, then reconnect. Honoured at once at most once per {@code backoffMaxMs}:
     * a WMS that asks again sooner (a loop on its side) is answered when that time has passed, so that it
     * cannot drive this gateway into a tight register loop.
     */
    private void reregister() {
        long now = System.currentTimeMillis();
        long delay = lastReregisterAt == 0 ? 0 : lastReregisterAt + settings.backoffMaxMs() - now;
        boolean repeated = delay > 0;
        lastReregisterAt = repeated ? lastReregisterAt + settings.backoffMaxMs() : now;
        LOG.info("The WMS asks this gateway to register again{}", repeated ? " (again within backoffMaxMs: in " + delay + " ms)" : "");
        env.audit("wms", "wms.reregister", endpoints.current().toString(), "ok", Map.of("repeated", repeated));
        registration = null;
        if (!repeated) {
            reconnectNow("reregister requested");
            return;
        }
        WsLink l = link;
        closingOnPurpose = true;
        tearDown("reregister requested");
        if (l != null) {
            l.close(1000, "reregister requested", () -> { });
        }
        toWaiting();
        scheduleAttempt(delay);
    }

    private void welcome(WsLink l, JsonNode m) {
        if (life.phase() != Phase.SYNCING) {
            LOG.debug("Ignoring a second welcome");
            return;
        }
        JsonNode n = m.path("lastReceivedSeq");
        if (!n.canConvertToLong() || n.asLong() < 0) {
            l.send(wire.error("invalid-message", "welcome needs a lastReceivedSeq >= 0"));
            return;
        }
        long lastReceived = n.asLong();
        cancel(welcomeTimer);
        cancel(failoverTimer);
        life.moveTo(Phase.CONNECTED);
        connectedSince = System.currentTimeMillis();
        sessionsOpened++;
        backoff.reset();
        endpoints.recordSuccess();
        upgradeFailures = 0;
        authAlertRaised = false;
        l.send(wire.status(env.status(), System.currentTimeMillis())); // §3.1.3: status first
        for (String early : List.copyOf(commandsBeforeWelcome)) {
            try {
                command(l, early, wire.parseMessage(early));
            } catch (java.io.IOException e) {
                LOG.warn("Malformed early command ignored: {}", e.getMessage()); // parsed once already
            }
        }
        commandsBeforeWelcome.clear();
        long applies = synchronise(lastReceived);
        announceRemainingDrops(l, Math.max(applies, outbox.lastAckedSeq()));
        LOG.info("Session synchronised with {}: WMS has up to seq {}, {} buffered", endpoints.current(), lastReceived,
                outbox.stats().messages());
        delivery.start(webSocketSink(l), Math.max(applies, outbox.lastAckedSeq()) + 1);
        SessionInfo info = info();
        for (WmsSessionListener listener : env.sessionListeners()) {
            notify(listener, x -> x.connected(info));
        }
        env.sessionOpened(info);
        scheduleHealthCheck();
    }

    private Delivery.Sink webSocketSink(WsLink l) {
        return new Delivery.Sink() {
            @Override
            public int maxInFlight() {
                return WS_FRAMES_IN_FLIGHT;
            }

            @Override
            public void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed) {
                l.send(batcher.frame(entries), written, failed);
            }

            @Override
            public void tooLarge(OutboxEntry entry) {
                oversized(entry);
                l.send(wire.dropped(List.of(new SeqRange(entry.seq(), entry.seq()))));
            }
        };
    }

    /**
     * The WMS's {@code lastReceivedSeq} (welcome, register answer, §2.6): drops from the buffer what the WMS
     * has (§3.1.3) and returns the mark. A WMS ahead of every seq this gateway has made durable (a lost
     * data folder, a restored backup) holds seqs this gateway would otherwise give to new messages, which
     * the WMS would then silently deduplicate: the outbox continues numbering above its mark first (§3.2
     * "never reused"; what it does with messages still held is the outbox's part, see docs/transport.md).
     */
    private long synchronise(long lastReceived) {
        long durable = outbox.durableSeq();
        if (lastReceived > durable) {
            wmsAhead(lastReceived, durable);
        }
        long upTo = Math.min(lastReceived, outbox.nextSeq() - 1);
        if (upTo > outbox.lastAckedSeq()) {
            outbox.acknowledge(upTo);
        }
        return upTo;
    }

    private void wmsAhead(long lastReceived, long durable) {
        long nextBefore = outbox.nextSeq();
        outbox.continueAbove(lastReceived);
        long nextAfter = outbox.nextSeq();
        if (lastReceived <= aheadSeenAt) {
            return;
        }
        aheadSeenAt = lastReceived;
        Map<String, Object> details = Map.of("lastReceivedSeq", lastReceived, "durableSeq", durable,
                "nextSeqBefore", nextBefore, "nextSeq", nextAfter);
        if (nextAfter > lastReceived) {
            // The outbox raises its own alert about the seqs it moved (storage: buffer.seq-raised).
            LOG.warn("The WMS at {} has stored seqs up to {} but this gateway had made durable only up to {}: "
                    + "numbering continues at {}", endpoints.current(), lastReceived, durable, nextAfter);
            env.audit(ACTOR, "wms.ahead", endpoints.current().toString(), "continued", details);
            return;
        }
        String message = "The WMS at " + endpoints.current() + " has stored seqs up to " + lastReceived
                + " but this gateway numbers at " + nextAfter + " and its buffer could not continue above: "
                + "new messages up to that seq will be taken by the WMS for duplicates";
        LOG.error(message);
        env.alert(new Alert(site.gateway.api.status.Severity.CRITICAL, "wms.ahead", message, null, details));
        env.audit(ACTOR, "wms.ahead", endpoints.current().toString(), "not-continued", details);
    }

    /** An ack (§3.3): never beyond what this gateway has made durable, the most it can have sent. */
    private long applyLastReceived(long upTo) {
        long durable = outbox.durableSeq();
        if (upTo > durable) {
            LOG.warn("The WMS acknowledges seq {} but this gateway has sent only up to {}", upTo, durable);
        }
        long applies = Math.min(upTo, durable);
        if (applies > outbox.lastAckedSeq()) {
            outbox.acknowledge(applies);
        }
        return applies;
    }

    private void ack(WsLink l, JsonNode m) {
        JsonNode n = m.path("upTo");
        if (!n.canConvertToLong() || n.asLong() < 0) {
            l.send(wire.error("invalid-message", "ack needs upTo >= 0"));
            return;
        }
        delivery.acked(applyLastReceived(n.asLong()));
    }

    private void command(WsLink l, String text, JsonNode m) {
        CommandHandler handler = env.commandHandler();
        String reply = null;
        if (handler != null) {
            try {
                reply = handler.handle(text);
            } catch (RuntimeException e) {
                LOG.error("Command handler failed", e);
            }
        }
        if (reply == null) {
            JsonNode id = m.path("commandId");
            if (id.isTextual() && Wire.IDENTIFIER.matcher(id.asText()).matches()) {
                reply = wire.commandRefused(id.asText(), handler == null ? "unsupported-kind" : "queue-full");
            } else {
                reply = wire.error("invalid-command", "command without a usable commandId");
            }
        }
        l.send(reply);
    }

    private void wmsError(JsonNode m) {
        String code = m.path("code").asText("");
        String message = m.path("message").asText("");
        if ("rejected".equals(code) && m.path("seq").canConvertToLong()) {
            long seq = m.path("seq").asLong();
            LOG.warn("The WMS rejected message seq {}: {}", seq, message);
            env.audit("wms", "message.rejected", "seq " + seq, "rejected", Map.of("seq", seq, "message", message));
        } else {
            LOG.warn("The WMS reported an error {}: {}", code, message);
            env.audit("wms", "wms.error", code, "reported", Map.of("message", message));
        }
    }

    /** The link ended (close frame, error, half-open, no welcome): react per §3.8. */
    private void linkClosed(int code, String reason) {
        boolean wasConnected = life.phase() == Phase.CONNECTED;
        LOG.info("WebSocket to {} closed: {} {}", endpoints.current(), code, reason == null ? "" : reason);
        endpoints.troubleStarted(System.currentTimeMillis()); // failoverAfterMs counts from the loss
        tearDown(code + " " + (reason == null ? "" : reason));
        toWaiting();
        Settings s = settings;
        switch (code) {
            case 4401 -> {
                needTokenRefresh = true;
                scheduleAttempt(backoff.next(s));
            }
            case 4403 -> refused(endpoints.current(), "WebSocket closed with 4403");
            case 4409 -> {
                LOG.warn("Session superseded by a newer one (4409): waiting {} ms", s.backoffMaxMs());
                scheduleAttempt(s.backoffMaxMs());
            }
            default -> {
                if (wasConnected) {
                    scheduleAttempt(backoff.next(s));
                } else {
                    failed(Wait.BACKOFF);
                }
            }
        }
    }

    /** Forgets the link (without closing it) and tells listeners. Leaves the phase to the caller. */
    private void tearDown(String reason) {
        boolean wasConnected = life.phase() == Phase.CONNECTED || life.phase() == Phase.FALLBACK;
        delivery.stop();
        cancel(watchTimer);
        cancel(welcomeTimer);
        cancel(healthTimer);
        cancel(fallbackRetryTimer);
        link = null;
        connectedSince = 0;
        if (wasConnected) {
            SessionInfo info = new SessionInfo(site.gateway.api.wms.SessionState.DISCONNECTED,
                    endpoints.current().toString(), registration == null ? null : registration.sessionId(), 0,
                    Math.max(0, sessionsOpened - 1), registration == null ? 10 : registration.heartbeatIntervalSeconds(),
                    rate.perSecond(System.currentTimeMillis()), lastFrameAt);
            env.sessionClosed(reason, closingOnPurpose);
            for (WmsSessionListener listener : env.sessionListeners()) {
                notify(listener, x -> x.disconnected(info, reason));
            }
        }
        closingOnPurpose = false;
    }

    /** Closes the current link cleanly (1000) and starts a new attempt at once. */
    private void reconnectNow(String reason) {
        WsLink l = link;
        closingOnPurpose = true;
        tearDown(reason);
        if (l != null) {
            l.close(1000, reason, () -> { });
        }
        toWaiting();
        backoff.reset();
        attempt();
    }

    // ---------------------------------------------------------------- half-open (§3.4), failback (§2.5, §4)

    private void scheduleWatch() {
        cancel(watchTimer);
        Registration r = registration;
        long interval = (r == null ? 10 : r.heartbeatIntervalSeconds()) * 1000L;
        long epoch = life.epoch();
        watchTimer = loop.scheduleWithFixedDelay(() -> {
            WsLink l = link;
            if (!life.isCurrent(epoch) || l == null) {
                return;
            }
            long silent = System.currentTimeMillis() - lastFrameAt;
            long stalled = delivery.stalledForMs();
            if (silent > 3 * interval) {
                LOG.warn("No frame from {} for {} ms (3 heartbeat intervals): connection considered dead", endpoints.current(), silent);
                l.abort();
                endpoints.troubleStarted(lastFrameAt); // the WMS went silent then: failoverAfterMs counts from there
                linkClosed(1006, "half-open: no frame for " + silent + " ms");
            } else if (stalled > WRITE_STALL_MS) {
                // The WMS talks but takes nothing from us (its side stuck, or a lost write completion):
                // a new session resends from its lastReceivedSeq.
                LOG.warn("No durable frame to {} completed for {} ms: reconnecting", endpoints.current(), stalled);
                l.abort();
                linkClosed(1006, "writes stalled for " + stalled + " ms");
            }
        }, Math.max(50, interval / 4), Math.max(50, interval / 4), TimeUnit.MILLISECONDS);
    }

    private void scheduleHealthCheck() {
        cancel(healthTimer);
        if (endpoints.currentIndex() == 0) {
            return;
        }
        long every = settings.healthCheckIntervalMs();
        healthTimer = loop.scheduleWithFixedDelay(this::probeHigher, every, every, TimeUnit.MILLISECONDS);
    }

    /** Probes the higher-priority endpoints (§2.5) and moves to the first healthy one. */
    private void probeHigher() {
        List<URI> higher = new ArrayList<>(endpoints.higherPriority());
        if (higher.isEmpty() || (life.phase() != Phase.CONNECTED && life.phase() != Phase.FALLBACK)) {
            return;
        }
        long epoch = life.epoch();
        long now = System.currentTimeMillis();
        higher.removeIf(candidate -> endpoints.waitBefore(candidate, now) > 0); // still under its Retry-After
        List<CompletableFuture<Boolean>> probes = new ArrayList<>();
        for (URI candidate : higher) {
            probes.add(http.get(candidate, WmsHttp.HEALTH, settings.requestTimeoutMs())
                    .handle((reply, error) -> error == null && healthy(reply)));
        }
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, error) -> guarded("health probes", () -> {
            if (!life.isCurrent(epoch)) {
                return;
            }
            for (int i = 0; i < probes.size(); i++) {
                if (Boolean.TRUE.equals(probes.get(i).getNow(false)) && endpoints.endpoints().indexOf(higher.get(i)) >= 0) {
                    moveTo(endpoints.endpoints().indexOf(higher.get(i)), "failback: " + higher.get(i) + " is healthy");
                    return;
                }
            }
        }), loop);
    }

    private boolean healthy(HttpReply reply) {
        if (reply.status() != 200) {
            return false;
        }
        try {
            return "ok".equals(wire.mapper().readTree(reply.body()).path("status").asText());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void moveTo(int index, String reason) {
        URI from = endpoints.current();
        endpoints.select(index);
        LOG.info("Moving from {} to {} ({})", from, endpoints.current(), reason);
        env.audit(ACTOR, "wms.failback", endpoints.current().toString(), "ok", Map.of("from", from.toString()));
        registration = null;
        upgradeFailures = 0;
        reconnectNow(reason);
    }

    // ---------------------------------------------------------------- HTTPS fallback (§2.6)

    /**
     * §2.6 as a mode of normal operation: the session counts as open (listeners, the {@code WmsSessionOpen}
     * marker, {@link SessionInfo#httpsFallback()}), so that the gateway is operational and no outage is
     * reported while data flows over HTTPS; liveness comes from the answers of the WMS (batches, health
     * probes every heartbeat interval) instead of its heartbeats; the WebSocket is tried beside it every
     * {@code healthCheckIntervalMs} and taken back as soon as an upgrade succeeds.
     */
    private void enterFallback(Registration r, String why) {
        LOG.warn("WebSocket upgrades to {} are blocked ({}) while HTTPS works: connected over HTTPS fallback (§2.6)",
                r.endpoint(), why);
        env.audit(ACTOR, "wms.http-fallback", r.endpoint().toString(), "ok", Map.of("reason", why));
        cancel(failoverTimer);
        life.moveTo(Phase.FALLBACK);
        connectedSince = System.currentTimeMillis();
        lastFrameAt = connectedSince;
        sessionsOpened++;
        backoff.reset();
        endpoints.recordSuccess();
        authAlertRaised = false;
        long epoch = life.epoch();
        long mark = synchronise(r.lastReceivedSeq()); // §2.6: the register answer's lastReceivedSeq plays welcome's role
        delivery.start(httpSink(epoch), Math.max(mark, outbox.lastAckedSeq()) + 1);
        SessionInfo info = info();
        for (WmsSessionListener listener : env.sessionListeners()) {
            notify(listener, x -> x.connected(info));
        }
        env.sessionOpened(info);
        FallbackLiveness liveness = new FallbackLiveness(r.heartbeatIntervalSeconds() * 1000L, settings.requestTimeoutMs());
        watchTimer = loop.scheduleWithFixedDelay(() -> guarded("HTTPS fallback liveness", () -> {
            if (!life.isCurrent(epoch) || life.phase() != Phase.FALLBACK) {
                return;
            }
            long now = System.currentTimeMillis();
            if (liveness.lost(lastFrameAt, now)) {
                LOG.warn("No answer from {} over HTTPS for {} ms (3 heartbeat intervals): HTTPS fallback lost", r.endpoint(),
                        now - lastFrameAt);
                tearDown("HTTPS fallback: no answer for " + (now - lastFrameAt) + " ms");
                toWaiting();
                endpoints.troubleStarted(lastFrameAt);
                failed(Wait.BACKOFF);
                return;
            }
            http.get(r.endpoint(), WmsHttp.HEALTH, settings.requestTimeoutMs())
                    .whenCompleteAsync((reply, error) -> {
                        if (error == null && healthy(reply) && life.isCurrent(epoch) && life.phase() == Phase.FALLBACK) {
                            heardOverHttps();
                        }
                    }, loop);
        }), liveness.intervalMs(), liveness.intervalMs(), TimeUnit.MILLISECONDS);
        long every = settings.healthCheckIntervalMs();
        fallbackRetryTimer = loop.scheduleWithFixedDelay(() -> guarded("WebSocket retry", () -> probeWebSocket(epoch)),
                every, every, TimeUnit.MILLISECONDS);
        scheduleHealthCheck();
    }

    /** An answer from the WMS over HTTPS while in fallback: the WMS is alive (what its heartbeats say on §3). */
    private void heardOverHttps() {
        long now = System.currentTimeMillis();
        lastFrameAt = now;
        for (WmsSessionListener listener : env.sessionListeners()) {
            notify(listener, x -> x.wmsHeartbeat(now));
        }
    }

    /**
     * Tries an upgrade beside the running fallback, without stopping it. When it succeeds the probe link is
     * closed (1000) and the session reconnects over WebSocket at once (a clean move, as on failback).
     */
    private void probeWebSocket(long epoch) {
        Registration r = registration;
        if (!life.isCurrent(epoch) || life.phase() != Phase.FALLBACK || r == null) {
            return;
        }
        dialer.connect(r.webSocketUri(env.gatewayId()), r.token(), WsDialer.Events.IGNORE, settings.requestTimeoutMs())
                .whenCompleteAsync((l, error) -> guarded("WebSocket retry", () -> {
                    if (l != null) {
                        l.close(1000, "probe", () -> { });
                    }
                    if (!life.isCurrent(epoch) || life.phase() != Phase.FALLBACK) {
                        return;
                    }
                    if (error != null) {
                        LOG.info("WebSocket at {} still blocked ({}): staying on the HTTPS fallback", r.endpoint(),
                                Failures.describe(UpgradeFailure.unwrap(error)));
                        return;
                    }
                    LOG.info("WebSocket upgrades to {} work again: leaving the HTTPS fallback", r.endpoint());
                    env.audit(ACTOR, "wms.http-fallback", r.endpoint().toString(), "ended", Map.of());
                    upgradeFailures = 0;
                    reconnectNow("WebSocket available again");
                }), loop);
    }

    private Delivery.Sink httpSink(long epoch) {
        return new Delivery.Sink() {
            @Override
            public int maxInFlight() {
                return 1;
            }

            @Override
            public int frameBudget() {
                return Delivery.MAX_FRAME_BYTES - DroppedRanges.BATCH_RESERVED_BYTES;
            }

            @Override
            public void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed) {
                boolean room = entries.size() != 1 || entries.get(0).json().length + 32 <= frameBudget();
                postBatch(epoch, entries, room, written, failed);
            }

            @Override
            public void tooLarge(OutboxEntry entry) {
                oversized(entry); // announced in the next batch's "dropped" only if the outbox lists it; the WMS acks past it
            }
        };
    }

    /**
     * One §2.6 batch over HTTPS: the entries, and the first {@link DroppedRanges#BATCH_MAX} dropped ranges
     * above the WMS's mark (when {@code withRanges}). Batches slide along the history as the WMS acknowledges.
     */
    private void postBatch(long epoch, List<OutboxEntry> entries, boolean withRanges, Runnable written, Consumer<Throwable> failed) {
        Registration r = registration;
        long ackedBefore = outbox.lastAckedSeq();
        List<SeqRange> dropped = withRanges ? nextBatchRanges() : List.of();
        byte[] body = batcher.batchBytes(entries, dropped.isEmpty() ? null : wire.droppedMember(dropped));
        http.post(r.endpoint(), WmsHttp.messagesPath(env.gatewayId()), r.token(), body, settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> guarded("HTTPS messages", () -> {
                    if (!life.isCurrent(epoch) || life.phase() != Phase.FALLBACK) {
                        return;
                    }
                    if (error == null && reply.status() == 200) {
                        try {
                            long upTo = wire.mapper().readTree(reply.body()).path("upTo").asLong(-1);
                            if (upTo >= 0) {
                                delivery.acked(applyLastReceived(upTo));
                            }
                        } catch (java.io.IOException e) {
                            LOG.warn("Unusable ack over HTTPS: {}", e.getMessage());
                        }
                        heardOverHttps();
                        written.run();
                        boolean progressed = !entries.isEmpty() || outbox.lastAckedSeq() > ackedBefore;
                        loop.execute(() -> guarded("HTTPS dropped ranges", () -> rangesWhileIdle(epoch, progressed)));
                        return;
                    }
                    failed.accept(error != null ? error : new java.io.IOException("status " + reply.status()));
                    tearDown("HTTPS fallback failed");
                    toWaiting();
                    if (error == null && reply.status() == 401) {
                        needTokenRefresh = true;
                        failed(Wait.BACKOFF);
                    } else if (error == null) {
                        httpStatusFailed("messages", r.endpoint(), reply);
                    } else {
                        requestFailed("messages", r.endpoint(), error);
                    }
                }), loop);
    }

    /**
     * Nothing left to send but dropped ranges the WMS has not heard of (more than batches carried): a
     * batch without items announces the next ones, as long as each such batch moves the WMS's mark.
     */
    private void rangesWhileIdle(long epoch, boolean progressed) {
        if (progressed && life.isCurrent(epoch) && life.phase() == Phase.FALLBACK && delivery.idle()
                && (!dropsToAnnounce.isEmpty() || !DroppedRanges.coalesce(outbox.droppedRanges(), outbox.lastAckedSeq()).isEmpty())) {
            postBatch(epoch, List.of(), true, () -> { }, error -> { });
        }
    }

    /**
     * The dropped ranges an HTTPS batch carries (§2.6): drops reported since the last batch first, then the
     * lowest of the outbox's ranges above the WMS's mark, {@link DroppedRanges#BATCH_MAX} in all.
     */
    private List<SeqRange> nextBatchRanges() {
        List<SeqRange> out = new ArrayList<>(dropsToAnnounce.take(DroppedRanges.BATCH_MAX));
        for (SeqRange range : DroppedRanges.coalesce(outbox.droppedRanges(), outbox.lastAckedSeq())) {
            if (out.size() >= DroppedRanges.BATCH_MAX) {
                break;
            }
            if (!out.contains(range)) {
                out.add(range);
            }
        }
        return out;
    }

    /** A durable message larger than a frame can carry (§3: 1 MiB) can never be delivered. */
    private void oversized(OutboxEntry entry) {
        LOG.error("Durable message seq {} ({} bytes) exceeds the 1 MiB frame limit: announced as dropped", entry.seq(),
                entry.json().length);
        env.audit(ACTOR, "message.oversized", "seq " + entry.seq(), "dropped", Map.of("bytes", entry.json().length));
    }

    // ---------------------------------------------------------------- configuration

    private void applySettings(Settings s) {
        Settings old = settings;
        settings = s;
        clients.apply(s);
        if (life.phase() == Phase.STOPPED) {
            return;
        }
        if (!java.util.Objects.equals(old.proxy(), s.proxy())) {
            replaceClients("proxy " + (s.proxy() == null ? "none" : s.proxy()));
        }
        if (old.crlRefreshMs() != s.crlRefreshMs()) {
            scheduleCrlRefresh();
        }
        if (old.tokenRefreshAt() != s.tokenRefreshAt()) {
            scheduleTokenRefresh();
        }
        if (old.healthCheckIntervalMs() != s.healthCheckIntervalMs() && healthTimer != null) {
            scheduleHealthCheck();
        }
        if (life.phase() == Phase.WAITING && attemptTimer != null && !attemptTimer.isDone()
                && attemptTimer.getDelay(TimeUnit.MILLISECONDS) > s.backoffMaxMs()) {
            scheduleAttempt(backoff.next(s)); // a shorter maximum also shortens the wait in progress
        }
        if (old.endpoints().equals(s.endpoints())) {
            return;
        }
        URI inUse = endpoints.current();
        boolean kept = endpoints.update(s.endpoints());
        LOG.info("Endpoints now {}", s.endpoints());
        Phase phase = life.phase();
        boolean live = phase == Phase.CONNECTED || phase == Phase.FALLBACK;
        if (!kept) {
            registration = null;
            LOG.info("{} is no longer configured: moving to {} at once", inUse, endpoints.current());
            reconnectOrRetry();
        } else if (endpoints.currentIndex() > 0) {
            if (live) {
                probeHigher(); // moves at once if a higher endpoint is healthy
                scheduleHealthCheck();
            } else {
                endpoints.select(0);
                reconnectOrRetry();
            }
        } else {
            cancel(healthTimer);
        }
    }

    /** New Jetty clients (the proxy is fixed per client); the session reconnects through them at once. */
    private void replaceClients(String why) {
        JettyClients fresh;
        try {
            fresh = new JettyClients(env.tls(), settings);
        } catch (Exception e) {
            LOG.error("Cannot build the WMS clients for {}: keeping the previous ones", why, e);
            return;
        }
        JettyClients old = clients;
        clients = fresh;
        http = fresh.http();
        dialer = fresh.dialer();
        LOG.info("WMS connections now go through {}", why);
        registration = null;
        reconnectOrRetry();
        retired.add(old);
        loop.schedule(() -> {
            if (retired.remove(old)) {
                old.close();
            }
        }, 2, TimeUnit.SECONDS);
    }

    private void reconnectOrRetry() {
        if (life.phase() == Phase.WAITING) {
            backoff.reset();
            attempt();
        } else {
            reconnectNow("endpoint list changed");
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs one step of the session on its thread. A step that throws (a bug, a missing class at run time)
     * is logged and the session goes back to waiting instead of stalling silently inside a future.
     */
    private void guarded(String step, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            LOG.error("Session step '{}' failed; retrying with backoff", step, t);
            if (life.phase() != Phase.STOPPED) {
                WsLink l = link;
                tearDown("internal error in " + step);
                if (l != null) {
                    l.abort();
                }
                toWaiting();
                failed(Wait.BACKOFF);
            }
        }
    }

    private void notify(WmsSessionListener listener, Consumer<WmsSessionListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("Session listener {} failed", listener, e);
        }
    }

    private void cancelAll() {
        cancel(attemptTimer);
        cancel(tokenTimer);
        cancel(healthTimer);
        cancel(crlTimer);
        cancel(watchTimer);
        cancel(welcomeTimer);
        cancel(fallbackRetryTimer);
        cancel(failoverTimer);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** For tests: runs on the session thread and waits. */
    <T> T onLoop(java.util.concurrent.Callable<T> call) throws Exception {
        return loop.submit(call).get(5, TimeUnit.SECONDS);
    }

    EndpointSelector endpointsForTest() {
        return endpoints;
    }

    WsLink linkForTest() {
        return link;
    }

    Phase phase() {
        return life.phase();
    }
}
