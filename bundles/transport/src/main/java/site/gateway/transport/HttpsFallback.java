package site.gateway.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;

/**
 * The §2.6 HTTPS fallback: entered when WebSocket upgrades are blocked while HTTPS works, durable messages
 * go as batches over HTTPS, liveness comes from the WMS's answers, and the WebSocket is tried beside it
 * until an upgrade succeeds again.
 */
final class HttpsFallback {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsFallback.class);

    private final Session s;
    private ScheduledFuture<?> retryTimer;

    HttpsFallback(Session session) {
        this.s = session;
    }

    /**
     * The WebSocket upgrade failed in a way a proxy or firewall blocks it (another status than 101, reset,
     * closed, no answer, tunnel refused). After {@code failoverAfterFailures} such failures in a row, or
     * {@code failoverAfterMs} without a session, the HTTPS fallback (§2.6) starts if a health probe shows that
     * HTTPS to this endpoint works; otherwise this is an ordinary failure (backoff, failover).
     */
    void upgradeBlocked(Registration r, String what) {
        s.failover.cancelFailoverWatch();
        s.upgradeFailures++;
        long troubleMs = s.endpoints.troubleForMs(System.currentTimeMillis());
        LOG.warn("WebSocket upgrade at {} failed: {} ({} in a row)", r.endpoint(), what, s.upgradeFailures);
        Settings settings = s.settings;
        boolean longEnough = s.upgradeFailures >= settings.failoverAfterFailures() || troubleMs >= settings.failoverAfterMs();
        if (!settings.httpFallback() || !longEnough) {
            s.attempts.stepFailed();
            return;
        }
        s.confirmingFallback = true;
        long epoch = s.life.epoch();
        s.clients.http().get(r.endpoint(), WmsHttp.HEALTH, settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> s.guarded("fallback health probe", () -> {
                    if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.CONNECTING) {
                        return;
                    }
                    s.confirmingFallback = false;
                    if (error == null && s.healthy(reply)) {
                        enter(r, what);
                    } else {
                        LOG.warn("{} does not answer its health check either ({}): not a blocked WebSocket", r.endpoint(),
                                error != null ? Failures.describe(error) : "status " + reply.status());
                        s.attempts.stepFailed();
                    }
                }), s.loop);
    }

    /**
     * §2.6 as a mode of normal operation: the session counts as open (listeners, the {@code WmsSessionOpen}
     * marker, {@link SessionInfo#httpsFallback()}), so that the gateway is operational and no outage is
     * reported while data flows over HTTPS; liveness comes from the answers of the WMS (batches, health
     * probes every heartbeat interval) instead of its heartbeats; the WebSocket is tried beside it every
     * {@code healthCheckIntervalMs} and taken back as soon as an upgrade succeeds.
     */
    private void enter(Registration r, String why) {
        LOG.warn("WebSocket upgrades to {} are blocked ({}) while HTTPS works: connected over HTTPS fallback (§2.6)",
                r.endpoint(), why);
        s.env.audit(Session.ACTOR, "wms.http-fallback", r.endpoint().toString(), "ok", Map.of("reason", why));
        s.failover.cancelFailoverWatch();
        s.opened(Phase.FALLBACK);
        s.lastFrameAt = s.connectedSince;
        long epoch = s.life.epoch();
        long mark = s.seqSync.synchronise(r.lastReceivedSeq()); // §2.6: the register answer's lastReceivedSeq plays welcome's role
        s.delivery.start(sink(epoch), Math.max(mark, s.outbox.lastAckedSeq()) + 1);
        s.announceOpen();
        FallbackLiveness liveness = new FallbackLiveness(r.heartbeatIntervalSeconds() * 1000L, s.settings.requestTimeoutMs());
        s.watchTimer = s.loop.scheduleWithFixedDelay(() -> s.guarded("HTTPS fallback liveness", () -> {
            if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.FALLBACK) {
                return;
            }
            long now = System.currentTimeMillis();
            if (liveness.lost(s.lastFrameAt, now)) {
                LOG.warn("No answer from {} over HTTPS for {} ms (3 heartbeat intervals): HTTPS fallback lost", r.endpoint(),
                        now - s.lastFrameAt);
                s.tearDown("HTTPS fallback: no answer for " + (now - s.lastFrameAt) + " ms");
                s.toWaiting();
                s.endpoints.troubleStarted(s.lastFrameAt);
                s.attempts.failed(Attempts.Wait.BACKOFF);
                return;
            }
            if (s.endpoints.waitBefore(r.endpoint(), now) > 0) {
                return; // the endpoint asked for a pause (Retry-After, §2): no probe; liveness decides as above
            }
            s.clients.http().get(r.endpoint(), WmsHttp.HEALTH, s.settings.requestTimeoutMs())
                    .whenCompleteAsync((reply, error) -> {
                        if (error == null && s.healthy(reply) && s.life.isCurrent(epoch) && s.life.phase() == Phase.FALLBACK) {
                            heardOverHttps();
                        }
                    }, s.loop);
        }), liveness.intervalMs(), liveness.intervalMs(), TimeUnit.MILLISECONDS);
        long every = s.settings.healthCheckIntervalMs();
        retryTimer = s.loop.scheduleWithFixedDelay(() -> s.guarded("WebSocket retry", () -> probeWebSocket(epoch)),
                every, every, TimeUnit.MILLISECONDS);
        s.failover.scheduleHealthCheck();
    }

    /** An answer from the WMS over HTTPS while in fallback: the WMS is alive (what its heartbeats say on §3). */
    private void heardOverHttps() {
        long now = System.currentTimeMillis();
        s.lastFrameAt = now;
        s.lastWmsHeartbeatAt = now;
        for (WmsSessionListener listener : s.env.sessionListeners()) {
            s.notify(listener, x -> x.wmsHeartbeat(now));
        }
    }

    /**
     * Tries an upgrade beside the running fallback, without stopping it. When it succeeds the probe link is
     * closed (1000) and the session reconnects over WebSocket at once (a clean move, as on failback).
     */
    private void probeWebSocket(long epoch) {
        Registration r = s.registration;
        if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.FALLBACK || r == null
                || s.endpoints.waitBefore(r.endpoint(), System.currentTimeMillis()) > 0) {
            return; // not before the endpoint's Retry-After (§4: WebSocket upgrades too)
        }
        s.clients.dialer().connect(r.webSocketUri(s.env.gatewayId()), r.token(), WsDialer.Events.IGNORE, s.settings.requestTimeoutMs())
                .whenCompleteAsync((l, error) -> s.guarded("WebSocket retry", () -> {
                    if (l != null) {
                        l.close(1000, "probe", () -> { });
                    }
                    if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.FALLBACK) {
                        return;
                    }
                    if (error != null) {
                        Throwable cause = UpgradeFailure.unwrap(error);
                        if (UpgradeFailure.of(cause) == UpgradeFailure.RETRY_LATER) {
                            s.attempts.noteRetryAfter(r.endpoint(), ((WsDialer.UpgradeRefused) cause).retryAfter);
                        }
                        LOG.info("WebSocket at {} still blocked ({}): staying on the HTTPS fallback", r.endpoint(),
                                Failures.describe(cause));
                        return;
                    }
                    LOG.info("WebSocket upgrades to {} work again: leaving the HTTPS fallback", r.endpoint());
                    s.env.audit(Session.ACTOR, "wms.http-fallback", r.endpoint().toString(), "ended", Map.of());
                    s.upgradeFailures = 0;
                    s.reconnectNow("WebSocket available again");
                }), s.loop);
    }

    private Delivery.Sink sink(long epoch) {
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
                long wait = s.endpoints.waitBefore(s.registration.endpoint(), System.currentTimeMillis());
                if (wait <= 0) {
                    postBatch(epoch, entries, room, written, failed);
                    return;
                }
                // The endpoint asked for a pause (a Retry-After on any request, §4): the batch waits for it.
                s.loop.schedule(() -> s.guarded("HTTPS messages", () -> {
                    if (s.life.isCurrent(epoch) && s.life.phase() == Phase.FALLBACK) {
                        postBatch(epoch, entries, room, written, failed);
                    }
                }), wait, TimeUnit.MILLISECONDS);
            }

            @Override
            public void tooLarge(OutboxEntry entry) {
                // Announced in the next batch's "dropped" (an empty batch if nothing else is to be sent), else the
                // WMS would never acknowledge past it and the buffer would stop draining.
                s.oversized(entry);
                s.dropsToAnnounce.add(new SeqRange(entry.seq(), entry.seq()));
                s.loop.execute(() -> s.guarded("HTTPS dropped ranges", () -> rangesWhileIdle(epoch, true)));
            }
        };
    }

    /**
     * One §2.6 batch over HTTPS: the entries, and the first {@link DroppedRanges#BATCH_MAX} dropped ranges
     * above the WMS's mark (when {@code withRanges}). Batches slide along the history as the WMS acknowledges.
     */
    private void postBatch(long epoch, List<OutboxEntry> entries, boolean withRanges, Runnable written, Consumer<Throwable> failed) {
        Registration r = s.registration;
        long ackedBefore = s.outbox.lastAckedSeq();
        List<SeqRange> dropped = withRanges ? nextBatchRanges() : List.of();
        byte[] body = s.batcher.batchBytes(entries, dropped.isEmpty() ? null : s.wire.droppedMember(dropped));
        s.clients.http().post(r.endpoint(), WmsHttp.messagesPath(s.env.gatewayId()), r.token(), body, s.settings.requestTimeoutMs())
                .whenCompleteAsync((reply, error) -> s.guarded("HTTPS messages", () -> {
                    if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.FALLBACK) {
                        return;
                    }
                    if (error == null && reply.status() == 200) {
                        try {
                            long upTo = s.wire.mapper().readTree(reply.body()).path("upTo").asLong(-1);
                            if (upTo >= 0) {
                                s.delivery.acked(s.seqSync.applyLastReceived(upTo));
                            }
                        } catch (java.io.IOException e) {
                            LOG.warn("Unusable ack over HTTPS: {}", e.getMessage());
                        }
                        heardOverHttps();
                        written.run();
                        boolean progressed = !entries.isEmpty() || s.outbox.lastAckedSeq() > ackedBefore;
                        s.loop.execute(() -> s.guarded("HTTPS dropped ranges", () -> rangesWhileIdle(epoch, progressed)));
                        return;
                    }
                    failed.accept(error != null ? error : new java.io.IOException("status " + reply.status()));
                    s.tearDown("HTTPS fallback failed");
                    s.toWaiting();
                    if (error == null && reply.status() == 401) {
                        s.needTokenRefresh = true;
                        s.attempts.failed(Attempts.Wait.BACKOFF);
                    } else if (error == null) {
                        s.attempts.httpStatusFailed("messages", r.endpoint(), reply);
                    } else {
                        s.attempts.requestFailed("messages", r.endpoint(), error);
                    }
                }), s.loop);
    }

    /**
     * Nothing left to send but dropped ranges the WMS has not heard of (more than batches carried): a
     * batch without items announces the next ones, as long as each such batch moves the WMS's mark.
     */
    private void rangesWhileIdle(long epoch, boolean progressed) {
        if (progressed && s.life.isCurrent(epoch) && s.life.phase() == Phase.FALLBACK && s.delivery.idle()
                && (!s.dropsToAnnounce.isEmpty()
                        || !DroppedRanges.coalesce(s.outbox.droppedRanges(), s.outbox.lastAckedSeq()).isEmpty())) {
            postBatch(epoch, List.of(), true, () -> { }, error -> { });
        }
    }

    /**
     * The dropped ranges an HTTPS batch carries (§2.6): drops reported since the last batch first, then the
     * lowest of the outbox's ranges above the WMS's mark, {@link DroppedRanges#BATCH_MAX} in all.
     */
    private List<SeqRange> nextBatchRanges() {
        List<SeqRange> out = new ArrayList<>(s.dropsToAnnounce.take(DroppedRanges.BATCH_MAX));
        for (SeqRange range : DroppedRanges.coalesce(s.outbox.droppedRanges(), s.outbox.lastAckedSeq())) {
            if (out.size() >= DroppedRanges.BATCH_MAX) {
                break;
            }
            if (!out.contains(range)) {
                out.add(range);
            }
        }
        return out;
    }

    void cancelTimers() {
        Session.cancel(retryTimer);
    }
}
