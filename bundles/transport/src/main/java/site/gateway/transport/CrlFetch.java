package site.gateway.transport;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRL (§2.4): fetched from the endpoint of the registration after each registration and every
 * {@code crlRefreshMs}, never while that endpoint's {@code Retry-After} lasts (§2).
 */
final class CrlFetch {
    private static final Logger LOG = LoggerFactory.getLogger(CrlFetch.class);

    private final Session s;
    private ScheduledFuture<?> refreshTimer;
    /** A fetch postponed by the endpoint's {@code Retry-After}. */
    private ScheduledFuture<?> postponedTimer;

    CrlFetch(Session session) {
        this.s = session;
    }

    void schedule() {
        Session.cancel(refreshTimer);
        long every = s.settings.crlRefreshMs();
        refreshTimer = s.loop.scheduleWithFixedDelay(() -> {
            if (s.registration != null) {
                fetch(s.registration.endpoint());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void fetch(URI endpoint) {
        if (postponedByRetryAfter(endpoint)) {
            return;
        }
        s.clients.http().get(endpoint, WmsHttp.CRL, s.settings.requestTimeoutMs()).whenCompleteAsync((reply, error) -> s.guarded("CRL", () -> {
            if (error == null && reply.asksToWait()) {
                LOG.warn("CRL fetch from {} answered {}", endpoint, reply.status());
                postponedByRetryAfter(endpoint);
                return;
            }
            if (error != null || reply.status() != 200) {
                LOG.warn("CRL fetch from {} failed: {}", endpoint,
                        error != null ? Failures.describe(error) : "status " + reply.status());
                return;
            }
            try {
                s.env.tls().updateCrl(reply.body());
                LOG.info("CRL from {} installed", endpoint);
            } catch (GeneralSecurityException | RuntimeException e) {
                LOG.error("CRL from {} rejected: {}", endpoint, e.getMessage());
                s.env.audit(Session.ACTOR, "crl.rejected", endpoint.toString(), "rejected", Map.of("reason", String.valueOf(e.getMessage())));
            }
        }), s.loop);
    }

    /**
     * True, and the fetch made once it has passed, while the endpoint's {@code Retry-After} holds it back:
     * waiting for the next {@code crlRefreshMs} instead could leave the CRL stale that much longer.
     */
    private boolean postponedByRetryAfter(URI endpoint) {
        long wait = s.endpoints.waitBefore(endpoint, System.currentTimeMillis());
        if (wait <= 0) {
            return false;
        }
        LOG.info("CRL fetch from {} postponed {} ms (Retry-After)", endpoint, wait);
        Session.cancel(postponedTimer);
        postponedTimer = s.loop.schedule(() -> {
            Registration r = s.registration;
            if (r != null && r.endpoint().equals(endpoint)) {
                fetch(endpoint);
            }
        }, wait, TimeUnit.MILLISECONDS);
        return true;
    }

    void cancelTimers() {
        Session.cancel(refreshTimer);
        Session.cancel(postponedTimer);
    }
}
