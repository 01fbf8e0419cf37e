package site.gateway.transport;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.Alert;

/**
 * Connection attempts: which step comes next (register, token refresh, connect), and what a failed step
 * leads to — the failure counted on the endpoint (failover after too many), then backoff, or the maximum
 * wait after a refusal. Retry-After is honoured per endpoint (§4).
 */
final class Attempts {
    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

    enum Wait { BACKOFF, MAXIMUM }

    private final Session s;
    private ScheduledFuture<?> attemptTimer;
    /** Until when a register waits for an incomplete body; set at start. */
    private long registerWaitUntil;
    private String registerWaitLogged;

    Attempts(Session session) {
        this.s = session;
    }

    void start() {
        registerWaitUntil = System.currentTimeMillis() + SessionEngine.REGISTER_WAIT_MS;
        s.life.moveTo(Phase.WAITING);
        attempt();
    }

    void attempt() {
        if (s.life.phase() != Phase.WAITING) {
            return;
        }
        Session.cancel(attemptTimer);
        EndpointSelector endpoints = s.endpoints;
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
            s.env.audit(Session.ACTOR, "wms.failover", endpoints.current().toString(), "ok",
                    Map.of("from", before.toString(), "reason", "Retry-After " + wait + " ms"));
            s.registration = null;
            s.upgradeFailures = 0;
        }
        endpoints.troubleStarted(now);
        URI endpoint = endpoints.current();
        if (s.lastEndpoint != null && !s.lastEndpoint.equals(endpoint)) {
            s.failovers++; // the one place every move to another endpoint passes
        }
        s.lastEndpoint = endpoint;
        Registration r = s.registration;
        if ((r == null || !r.endpoint().equals(endpoint)) && waitForRegistrationBody()) {
            return;
        } else if (r == null || !r.endpoint().equals(endpoint)) {
            s.registrar.register(endpoint);
        } else if (s.needTokenRefresh) {
            s.life.moveTo(Phase.REGISTERING);
            s.registrar.refreshToken(r, s.life.epoch());
        } else {
            s.webSocket.connect(r);
        }
        s.failover.scheduleFailoverWatch();
    }

    /** True (and a retry scheduled) while the register body still misses what was configured at start. */
    private boolean waitForRegistrationBody() {
        String missing = s.env.registrationIncomplete();
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
                    SessionEngine.REGISTER_WAIT_MS);
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

    void scheduleAttempt(long delayMs) {
        Session.cancel(attemptTimer);
        attemptTimer = s.loop.schedule(() -> s.guarded("attempt", this::attempt), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** A shorter maximum backoff also shortens the wait in progress. */
    void backoffChanged(Settings next) {
        if (s.life.phase() == Phase.WAITING && attemptTimer != null && !attemptTimer.isDone()
                && attemptTimer.getDelay(TimeUnit.MILLISECONDS) > next.backoffMaxMs()) {
            scheduleAttempt(s.backoff.next(next));
        }
    }

    /** Back to waiting, and a new attempt at once (a changed endpoint list, new clients). */
    void reconnectOrRetry() {
        if (s.life.phase() == Phase.WAITING) {
            s.backoff.reset();
            attempt();
        } else {
            s.reconnectNow("endpoint list changed");
        }
    }

    /** A failed attempt: count it on the endpoint (failover), then wait. */
    void failed(Wait wait) {
        Settings settings = s.settings;
        URI before = s.endpoints.current();
        long troubleMs = s.endpoints.troubleForMs(System.currentTimeMillis());
        if (s.endpoints.recordFailure(settings.failoverAfterFailures(), settings.failoverAfterMs(), System.currentTimeMillis())) {
            LOG.warn("Failing over from {} to {} ({} ms without a session; at most {} failed attempts or {} ms)", before,
                    s.endpoints.current(), troubleMs, settings.failoverAfterFailures(), settings.failoverAfterMs());
            s.env.audit(Session.ACTOR, "wms.failover", s.endpoints.current().toString(), "ok", Map.of("from", before.toString()));
            s.registration = null;
            s.upgradeFailures = 0;
        }
        long delay = wait == Wait.MAXIMUM ? settings.backoffMaxMs() : s.backoff.next(settings);
        LOG.info("Next attempt on {} in {} ms", s.endpoints.current(), delay);
        scheduleAttempt(delay);
    }

    /** The step failed in an ordinary way: back to waiting, then backoff. */
    void stepFailed() {
        s.toWaiting();
        failed(Wait.BACKOFF);
    }

    /** 401/403 on register, 403 on upgrade, 4403, a refused client certificate: §1, §2.1. */
    void refused(URI endpoint, String what) {
        LOG.error("The WMS at {} refused this gateway: {}; backing off {} ms", endpoint, what, s.settings.backoffMaxMs());
        if (!s.authAlertRaised) {
            s.authAlertRaised = true;
            s.env.alert(Alert.critical("wms.auth-rejected", "The WMS at " + endpoint + " refused this gateway: " + what));
        }
        s.env.audit(Session.ACTOR, "wms.auth", endpoint.toString(), "rejected", Map.of("reason", what));
        s.env.certificateVerdict(s.clients.generation(), false, what); // a pair on trial is rolled back at once
        s.registration = null;
        s.toWaiting();
        failed(Wait.MAXIMUM);
    }

    /** A failed step; a 429/503's {@code Retry-After} was already recorded by {@link WmsHttp}. */
    void httpStatusFailed(String what, URI endpoint, HttpReply reply) {
        LOG.warn("{} on {} answered {}", what, endpoint, reply.status());
        stepFailed();
    }

    /**
     * Records a {@code Retry-After}; safe from any thread ({@link WmsHttp} calls it on Jetty's threads for every
     * 429/503, the WebSocket paths for a refused upgrade).
     */
    void noteRetryAfter(URI endpoint, String header) {
        long now = System.currentTimeMillis();
        long asked = RetryAfter.parseMs(header, now);
        long ms = Math.min(asked, s.settings.retryAfterMaxMs());
        if (asked > ms) {
            // Only a site that lowered retryAfterMaxMs below its default (24 h) gets here: §2's MUST is not kept.
            LOG.warn("{} asks to retry after {} ms: cut to retryAfterMaxMs {} ms, shorter than the protocol requires", endpoint,
                    asked, ms);
        }
        if (ms > 0) {
            LOG.info("{} asks to retry after {} ms", endpoint, ms);
            s.endpoints.retryAfter(endpoint, now + ms);
        }
    }

    void requestFailed(String what, URI endpoint, Throwable error) {
        SSLException ssl = Failures.tls(error);
        if (ssl != null && Failures.clientCertificateRefused(error)) {
            refused(endpoint, "client certificate refused in the TLS handshake (" + ssl.getMessage() + ")");
            return;
        }
        if (ssl != null) {
            LOG.error("TLS connection to {} refused: {}", endpoint, Failures.describe(error));
            s.env.audit(Session.ACTOR, "tls.rejected", endpoint.toString(), "rejected", Map.of("reason", Failures.describe(error)));
        } else {
            LOG.warn("{} on {} failed: {}", what, endpoint, Failures.describe(error));
        }
        stepFailed();
    }

    void cancelTimers() {
        Session.cancel(attemptTimer);
    }
}
