package site.gateway.transport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover and failback between the configured endpoints (§2.5, §4): leaving an endpoint that gives no
 * session in time, probing the higher-priority ones while on a lower one, and a changed endpoint list.
 */
final class Failover {
    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    private final Session s;
    private ScheduledFuture<?> healthTimer;
    /** Leaves an endpoint that has given no session for {@code failoverAfterMs}, even mid-attempt (a hanging node). */
    private ScheduledFuture<?> failoverTimer;

    Failover(Session session) {
        this.s = session;
    }

    /**
     * RNF-003 (recovery under 30 s whatever the failure): with more than one endpoint, an endpoint that has
     * given no session for {@code failoverAfterMs} since it started failing is left even while an attempt still
     * waits for its answer, instead of after {@code failoverAfterFailures} request timeouts. An upgrade that
     * hangs after a successful register is a blocked WebSocket path: it goes to the HTTPS fallback check.
     */
    void scheduleFailoverWatch() {
        Session.cancel(failoverTimer);
        long deadline = s.endpoints.failoverDeadline(s.settings.failoverAfterMs());
        if (deadline == Long.MAX_VALUE || s.life.phase() == Phase.WAITING || s.life.phase() == Phase.STOPPED) {
            return;
        }
        long epoch = s.life.epoch();
        URI at = s.endpoints.current();
        failoverTimer = s.loop.schedule(() -> s.guarded("failover watch", () -> {
            if (!s.life.isCurrent(epoch) || !s.endpoints.current().equals(at) || s.confirmingFallback) {
                return;
            }
            Phase phase = s.life.phase();
            Registration r = s.registration;
            long troubleMs = s.endpoints.troubleForMs(System.currentTimeMillis());
            if (phase == Phase.CONNECTING && s.link == null && r != null && r.endpoint().equals(at) && s.settings.httpFallback()) {
                s.fallback.upgradeBlocked(r, "no answer to the WebSocket upgrade within " + troubleMs + " ms");
            } else if (phase == Phase.REGISTERING || phase == Phase.CONNECTING || phase == Phase.SYNCING) {
                abandonAndFailOver("no session for " + troubleMs + " ms");
            }
        }), Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    void cancelFailoverWatch() {
        Session.cancel(failoverTimer);
    }

    /** Gives up the attempt in progress on the current endpoint and starts one on the next at once. */
    private void abandonAndFailOver(String why) {
        URI before = s.endpoints.current();
        s.abort("failover: " + why);
        if (!s.endpoints.failOver()) {
            s.attempts.failed(Attempts.Wait.BACKOFF);
            return;
        }
        LOG.warn("Failing over from {} to {}: {}", before, s.endpoints.current(), why);
        s.env.audit(Session.ACTOR, "wms.failover", s.endpoints.current().toString(), "ok", Map.of("from", before.toString(), "reason", why));
        s.registration = null;
        s.upgradeFailures = 0;
        s.backoff.reset();
        s.attempts.attempt();
    }

    /** While on a lower-priority endpoint, the higher ones are probed every {@code healthCheckIntervalMs}. */
    void scheduleHealthCheck() {
        Session.cancel(healthTimer);
        if (s.endpoints.currentIndex() == 0) {
            return;
        }
        long every = s.settings.healthCheckIntervalMs();
        healthTimer = s.loop.scheduleWithFixedDelay(this::probeHigher, every, every, TimeUnit.MILLISECONDS);
    }

    boolean healthChecksRunning() {
        return healthTimer != null;
    }

    /** Probes the higher-priority endpoints (§2.5) and moves to the first healthy one. */
    private void probeHigher() {
        List<URI> higher = new ArrayList<>(s.endpoints.higherPriority());
        if (higher.isEmpty() || (s.life.phase() != Phase.CONNECTED && s.life.phase() != Phase.FALLBACK)) {
            return;
        }
        long epoch = s.life.epoch();
        long now = System.currentTimeMillis();
        higher.removeIf(candidate -> s.endpoints.waitBefore(candidate, now) > 0); // still under its Retry-After
        List<CompletableFuture<HttpReply>> probes = new ArrayList<>();
        for (URI candidate : higher) {
            probes.add(s.clients.http().get(candidate, WmsHttp.HEALTH, s.settings.requestTimeoutMs()).exceptionally(error -> null));
        }
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, error) -> s.guarded("health probes", () -> {
            int best = -1;
            for (int i = 0; i < probes.size(); i++) {
                HttpReply reply = probes.get(i).getNow(null); // null: no answer
                int index = s.endpoints.endpoints().indexOf(higher.get(i));
                if (reply != null && reply.asksToWait()) {
                    // Its Retry-After is recorded by WmsHttp: the endpoint is skipped until it has passed.
                    LOG.info("Health probe of {} answered {}", higher.get(i), reply.status());
                } else if (reply != null && best < 0 && index >= 0 && s.healthy(reply)) {
                    best = index;
                }
            }
            if (s.life.isCurrent(epoch) && best >= 0) {
                moveTo(best, "failback: " + s.endpoints.endpoints().get(best) + " is healthy");
            }
        }), s.loop);
    }

    private void moveTo(int index, String reason) {
        URI from = s.endpoints.current();
        s.endpoints.select(index);
        LOG.info("Moving from {} to {} ({})", from, s.endpoints.current(), reason);
        s.env.audit(Session.ACTOR, "wms.failback", s.endpoints.current().toString(), "ok", Map.of("from", from.toString()));
        s.registration = null;
        s.upgradeFailures = 0;
        s.reconnectNow(reason);
    }

    /** A new endpoint list: leave a removed endpoint at once, and go back to a higher one when it is healthy. */
    void endpointsChanged(List<URI> configured) {
        URI inUse = s.endpoints.current();
        boolean kept = s.endpoints.update(configured);
        LOG.info("Endpoints now {}", configured);
        Phase phase = s.life.phase();
        boolean live = phase == Phase.CONNECTED || phase == Phase.FALLBACK;
        if (!kept) {
            s.registration = null;
            LOG.info("{} is no longer configured: moving to {} at once", inUse, s.endpoints.current());
            s.attempts.reconnectOrRetry();
        } else if (s.endpoints.currentIndex() > 0) {
            if (live) {
                probeHigher(); // moves at once if a higher endpoint is healthy
                scheduleHealthCheck();
            } else {
                s.endpoints.select(0);
                s.attempts.reconnectOrRetry();
            }
        } else {
            Session.cancel(healthTimer);
        }
    }

    void cancelHealthChecks() {
        Session.cancel(healthTimer);
    }

    void cancelTimers() {
        Session.cancel(healthTimer);
        Session.cancel(failoverTimer);
    }
}
