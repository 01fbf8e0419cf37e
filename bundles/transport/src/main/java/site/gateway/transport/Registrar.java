package site.gateway.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.status.Alert;

/**
 * Registration (§2.1), the token and its refresh (§2.2) and the certificate renewal request (§2.3): the HTTPS
 * side of the session that gives it a {@link Registration}. The CRL (§2.4) is {@link CrlFetch}.
 */
final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);

    private final Session s;
    private ScheduledFuture<?> tokenTimer;

    Registrar(Session session) {
        this.s = session;
    }

    void register(URI endpoint) {
        s.life.moveTo(Phase.REGISTERING);
        long epoch = s.life.epoch();
        byte[] body = s.env.registrationBody();
        s.clients.http().post(endpoint, WmsHttp.REGISTER, null, body, s.settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> s.guarded("register", () -> {
                    if (s.life.isCurrent(epoch)) {
                        registered(endpoint, reply, error);
                    }
                }), s.loop);
    }

    private void registered(URI endpoint, HttpReply reply, Throwable error) {
        if (error != null) {
            s.attempts.requestFailed("register", endpoint, error);
            return;
        }
        switch (reply.status()) {
            case 200 -> {
                Registration r;
                try {
                    r = s.wire.registration(endpoint, reply.body(), System.currentTimeMillis());
                } catch (java.io.IOException | IllegalArgumentException e) {
                    LOG.warn("Unusable register answer from {}: {}", endpoint, e.getMessage());
                    s.attempts.stepFailed();
                    return;
                }
                s.registration = r;
                s.needTokenRefresh = false;
                long generation = s.clients.generation();
                if (generation == s.env.tls().generation()) {
                    s.env.certificateVerdict(generation, true, null); // §5: confirms a pair on trial that it used
                }
                LOG.info("Registered with {}: session {}, heartbeat {} s, lastReceivedSeq {}", endpoint, r.sessionId(),
                        r.heartbeatIntervalSeconds(), r.lastReceivedSeq());
                s.env.audit(Session.ACTOR, "wms.registered", endpoint.toString(), "ok", Map.of("sessionId", r.sessionId()));
                s.seqSync.synchronise(r.lastReceivedSeq());
                scheduleTokenRefresh();
                s.crl.fetch(endpoint);
                s.webSocket.connect(r);
            }
            case 401, 403 -> s.attempts.refused(endpoint, "register answered " + reply.status());
            case 409 -> {
                LOG.error("{} does not support protocol version 1 (409)", endpoint);
                s.env.alert(Alert.critical("wms.protocol-unsupported", endpoint + " refused protocol version 1 (409)"));
                s.env.audit(Session.ACTOR, "wms.registered", endpoint.toString(), "rejected", Map.of("status", 409));
                s.toWaiting();
                s.attempts.failed(Attempts.Wait.MAXIMUM);
            }
            default -> s.attempts.httpStatusFailed("register", endpoint, reply);
        }
    }

    void scheduleTokenRefresh() {
        Session.cancel(tokenTimer);
        Registration r = s.registration;
        if (r == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long at = r.refreshAt(s.settings.tokenRefreshAt(), now);
        if (at == Long.MAX_VALUE) {
            return;
        }
        scheduleRefresh(r, at - now);
    }

    private void scheduleRefresh(Registration r, long delayMs) {
        tokenTimer = s.loop.schedule(() -> {
            if (s.registration == r && s.life.phase() != Phase.STOPPED) {
                scheduledRefresh(r);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The refresh beside an open session waits for the endpoint's {@code Retry-After} (§2: no request there
     * before it has passed). Should the token expire first, nothing more is done here: the WMS ends the session
     * (4401, or 401 to an HTTPS batch), and the connection attempt that follows honours the same
     * {@code Retry-After}, using another endpoint meanwhile where one is free (§4).
     */
    private void scheduledRefresh(Registration r) {
        long wait = s.endpoints.waitBefore(r.endpoint(), System.currentTimeMillis());
        if (wait > 0) {
            LOG.info("Token refresh at {} postponed {} ms (Retry-After)", r.endpoint(), wait);
            scheduleRefresh(r, wait);
        } else {
            refreshToken(r, -1);
        }
    }

    /**
     * Refreshes the token. With {@code attemptEpoch >= 0} it is a step of a connection attempt (after 4401)
     * and connects afterwards; with -1 it is the scheduled refresh beside an open session.
     */
    void refreshToken(Registration r, long attemptEpoch) {
        s.clients.http().post(r.endpoint(), WmsHttp.tokenPath(s.env.gatewayId()), r.token(),
                "{}".getBytes(StandardCharsets.US_ASCII), s.settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> s.guarded("token refresh", () -> {
                    if (s.registration != r || s.life.phase() == Phase.STOPPED
                            || (attemptEpoch >= 0 && !s.life.isCurrent(attemptEpoch))) {
                        return;
                    }
                    tokenAnswer(r, attemptEpoch, reply, error);
                }), s.loop);
    }

    private void tokenAnswer(Registration r, long attemptEpoch, HttpReply reply, Throwable error) {
        boolean inAttempt = attemptEpoch >= 0;
        if (error == null && reply.status() == 200) {
            try {
                JsonNode n = s.wire.tokenAnswer(reply.body());
                long now = System.currentTimeMillis();
                s.registration = r.withToken(n.path("token").asText(), now, n.path("tokenExpiresAt").asLong(0));
                s.needTokenRefresh = false;
                LOG.info("Token refreshed at {}", r.endpoint());
                s.env.audit(Session.ACTOR, "wms.token-refreshed", r.endpoint().toString(), "ok", Map.of());
                scheduleTokenRefresh();
                if (inAttempt) {
                    s.webSocket.connect(s.registration);
                }
                return;
            } catch (java.io.IOException e) {
                LOG.warn("Unusable token answer from {}: {}", r.endpoint(), e.getMessage());
            }
        } else if (error == null && reply.status() == 401) {
            // §2.2: the token is no longer valid: register again (then reconnect).
            LOG.warn("Token refresh refused (401) by {}: registering again", r.endpoint());
            s.env.audit(Session.ACTOR, "wms.token-refreshed", r.endpoint().toString(), "rejected", Map.of("status", 401));
            s.registration = null;
            s.needTokenRefresh = false;
            if (inAttempt) {
                register(r.endpoint());
            } else {
                s.reconnectNow("token refused: re-registering");
            }
            return;
        } else {
            LOG.warn("Token refresh at {} failed: {}", r.endpoint(),
                    error != null ? Failures.describe(error) : "status " + reply.status());
        }
        if (inAttempt) {
            s.attempts.stepFailed();
        } else {
            // Retry while the token is still valid; halfway to the expiry, at least 1 s apart, and not before
            // a Retry-After (scheduledRefresh).
            long now = System.currentTimeMillis();
            long retryIn = Math.max(1000, Math.min(s.settings.backoffMaxMs(), (r.tokenExpiresAt() - now) / 2));
            Session.cancel(tokenTimer);
            scheduleRefresh(r, retryIn);
        }
    }

    /** §2.3: carries a CSR to the WMS with the session's token; blocking, never on the session's thread. */
    String submitCsr(String csrPem) throws java.io.IOException {
        Registration r = s.registration;
        if (r == null) {
            throw new java.io.IOException("no WMS registration: cannot renew the certificate now");
        }
        Settings settings = s.settings;
        refuseUnderRetryAfter(r.endpoint(), "not sent");
        try {
            HttpReply reply = s.clients.http().post(r.endpoint(), "/api/v1/gateways/" + s.env.gatewayId() + "/certificate",
                    r.token(), "application/pkcs10", csrPem.getBytes(StandardCharsets.US_ASCII), settings.requestTimeoutMs())
                    .get(settings.requestTimeoutMs() + 1000, TimeUnit.MILLISECONDS);
            if (reply.asksToWait()) {
                refuseUnderRetryAfter(r.endpoint(), "answered " + reply.status());
            }
            if (reply.status() != 200) {
                throw new java.io.IOException("certificate renewal answered " + reply.status());
            }
            s.env.audit(Session.ACTOR, "cert.renewal-submitted", r.endpoint().toString(), "ok", Map.of());
            return new String(reply.body(), StandardCharsets.US_ASCII);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new java.io.IOException("certificate renewal failed: " + Failures.describe(e), e);
        }
    }

    /**
     * §2: no renewal request to an endpoint before its {@code Retry-After}. The IOException says until when;
     * the crypto bundle's rotation backs off on it and tries again later.
     */
    private void refuseUnderRetryAfter(URI endpoint, String what) throws java.io.IOException {
        long now = System.currentTimeMillis();
        long wait = s.endpoints.waitBefore(endpoint, now);
        if (wait > 0) {
            throw new java.io.IOException("certificate renewal " + what + ": " + endpoint + " asked to wait (Retry-After); "
                    + "it may be retried from " + Instant.ofEpochMilli(now + wait) + " (in " + (wait + 999) / 1000 + " s)");
        }
    }

    void cancelTimers() {
        Session.cancel(tokenTimer);
    }
}
