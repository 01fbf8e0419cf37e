package site.gateway.transport;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.SeqRange;

/**
 * The §3 WebSocket session: the upgrade, hello and welcome, delivery over the link, the half-open and
 * write-stall watch (§3.4), and what a closed link leads to (§3.8).
 */
final class WebSocketSession {
    /** How long a ping sent after a silent heartbeat interval may wait for its pong (or any frame). */
    static final long PONG_TIMEOUT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);
    private static final int WS_FRAMES_IN_FLIGHT = 8;

    private final Session s;
    final InboundLimit inbound = new InboundLimit(InboundLimit.DEFAULT_MAX_WAITING);
    private ScheduledFuture<?> welcomeTimer;
    /** A close that raced ahead of the upgrade's completion: handled as soon as the link is known. */
    private Object[] earlyClose;
    /** Frames that arrived between the upgrade and {@link #opened}: handled once the link is known. */
    private final List<String> framesBeforeOpen = new ArrayList<>();
    /** The ranges the last hello carried: those need no {@code dropped} message after the welcome. */
    private Set<SeqRange> helloRanges = Set.of();

    WebSocketSession(Session session) {
        this.s = session;
    }

    void connect(Registration r) {
        s.life.moveTo(Phase.CONNECTING);
        long epoch = s.life.epoch();
        URI uri = r.webSocketUri(s.env.gatewayId());
        earlyClose = null;
        framesBeforeOpen.clear();
        s.clients.dialer().connect(uri, r.token(), new WsEvents(s, epoch), s.settings.requestTimeoutMs())
                .whenCompleteAsync((l, error) -> s.guarded("WebSocket upgrade", () -> {
                    if (!s.life.isCurrent(epoch) || s.life.phase() != Phase.CONNECTING) {
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
                }), s.loop);
    }

    /** The link is not known yet (the upgrade has not completed on the session thread): keep the frame. */
    void frameBeforeOpen(String text) {
        framesBeforeOpen.add(text); // the WMS spoke first (a command at once): not lost
    }

    /** The link closed or failed before the upgrade's completion reached the session thread. */
    void closedBeforeOpen(int code, String reason) {
        earlyClose = new Object[] {code, reason};
    }

    private void upgradeFailed(Registration r, Throwable error) {
        URI endpoint = r.endpoint();
        Throwable cause = UpgradeFailure.unwrap(error);
        switch (UpgradeFailure.of(cause)) {
            case TOKEN -> {
                LOG.warn("WebSocket upgrade at {} answered 401: refreshing the token", endpoint);
                s.needTokenRefresh = true;
                s.attempts.stepFailed();
            }
            case FORBIDDEN -> s.attempts.refused(endpoint, "WebSocket upgrade answered 403");
            case RETRY_LATER -> {
                WsDialer.UpgradeRefused refusedUpgrade = (WsDialer.UpgradeRefused) cause;
                s.attempts.noteRetryAfter(endpoint, refusedUpgrade.retryAfter);
                LOG.warn("WebSocket upgrade at {} answered {}", endpoint, refusedUpgrade.status);
                s.attempts.stepFailed();
            }
            case TLS -> s.attempts.requestFailed("WebSocket upgrade", endpoint, cause);
            case BLOCKED -> s.fallback.upgradeBlocked(r, Failures.describe(cause));
        }
    }

    private void opened(Registration r, WsLink l) {
        s.link = l;
        s.life.moveTo(Phase.SYNCING);
        s.lastFrameAt = System.currentTimeMillis();
        if (!WsDialer.SUBPROTOCOL.equals(l.subprotocol())) {
            LOG.warn("{} did not confirm subprotocol {} (got {})", r.endpoint(), WsDialer.SUBPROTOCOL, l.subprotocol());
        }
        LOG.info("WebSocket open to {} (permessage-deflate {})", r.endpoint(), l.deflate() ? "on" : "off");
        l.send(hello(r));
        long epoch = s.life.epoch();
        welcomeTimer = s.loop.schedule(() -> {
            if (s.life.isCurrent(epoch) && s.life.phase() == Phase.SYNCING) {
                LOG.warn("No welcome from {} within {} ms", r.endpoint(), s.settings.requestTimeoutMs());
                l.close(1000, "no welcome", () -> { });
                linkClosed(1006, "no welcome");
            }
        }, s.settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        scheduleWatch();
        List<String> early = List.copyOf(framesBeforeOpen);
        framesBeforeOpen.clear();
        early.forEach(text -> s.messages.received(l, text));
    }

    /**
     * §3.1 hello. {@code nextSeq} is the seq after the last durable one: a message not yet on disk has no
     * seq the WMS may rely on. {@code dropped} carries at most {@link DroppedRanges#HELLO_MAX} merged
     * ranges, so that no drop history can push hello past the 1 MiB frame limit; the rest follow in
     * {@code dropped} messages right after the welcome.
     */
    private String hello(Registration r) {
        long lastAcked = s.outbox.lastAckedSeq();
        List<SeqRange> ranges = DroppedRanges.coalesce(s.outbox.droppedRanges(), lastAcked);
        List<SeqRange> carried = ranges.size() > DroppedRanges.HELLO_MAX ? ranges.subList(0, DroppedRanges.HELLO_MAX) : ranges;
        helloRanges = new HashSet<>(carried);
        s.messages.forgetEarlyCommands();
        if (carried.size() < ranges.size()) {
            LOG.info("hello carries {} of {} dropped ranges; the rest follow in dropped messages", carried.size(), ranges.size());
        }
        long nextSeq = Math.max(s.outbox.durableSeq(), lastAcked) + 1;
        // Messages appended but not yet on disk are not counted either: pending never exceeds the seqs between
        // lastAckedSeq and nextSeq, a check a WMS may make.
        long pending = Math.min(s.outbox.stats().messages(), nextSeq - 1 - lastAcked);
        return s.wire.hello(r.sessionId(), lastAcked, nextSeq, pending, carried, s.env.status().state().wireName());
    }

    /** After the welcome: every dropped range above the WMS's mark that hello did not carry, in frames far below 1 MiB. */
    private void announceRemainingDrops(WsLink l, long lastReceived) {
        List<SeqRange> rest = new ArrayList<>();
        for (SeqRange range : DroppedRanges.coalesce(s.outbox.droppedRanges(), lastReceived)) {
            if (!helloRanges.contains(range)) {
                rest.add(range);
            }
        }
        for (SeqRange range : s.dropsToAnnounce.take(Integer.MAX_VALUE)) {
            if (!helloRanges.contains(range) && !rest.contains(range)) {
                rest.add(range);
            }
        }
        for (List<SeqRange> chunk : DroppedRanges.chunks(rest, DroppedRanges.MESSAGE_MAX)) {
            l.send(s.wire.dropped(chunk));
        }
    }

    void welcome(WsLink l, JsonNode m) {
        if (s.life.phase() != Phase.SYNCING) {
            LOG.debug("Ignoring a second welcome");
            return;
        }
        JsonNode n = m.path("lastReceivedSeq");
        if (!n.canConvertToLong() || n.asLong() < 0) {
            l.send(s.wire.error("invalid-message", "welcome needs a lastReceivedSeq >= 0"));
            return;
        }
        long lastReceived = n.asLong();
        Session.cancel(welcomeTimer);
        s.failover.cancelFailoverWatch();
        s.opened(Phase.CONNECTED);
        s.upgradeFailures = 0;
        l.send(s.wire.status(s.env.status(), System.currentTimeMillis())); // §3.1.3: status first
        s.messages.answerEarlyCommands(l);
        long applies = s.seqSync.synchronise(lastReceived);
        announceRemainingDrops(l, Math.max(applies, s.outbox.lastAckedSeq()));
        LOG.info("Session synchronised with {}: WMS has up to seq {}, {} buffered", s.endpoints.current(), lastReceived,
                s.outbox.stats().messages());
        s.delivery.start(sink(l), Math.max(applies, s.outbox.lastAckedSeq()) + 1);
        s.announceOpen();
        s.failover.scheduleHealthCheck();
    }

    private Delivery.Sink sink(WsLink l) {
        FrameBuffers frames = new FrameBuffers(WS_FRAMES_IN_FLIGHT);
        return new Delivery.Sink() {
            @Override
            public int maxInFlight() {
                return WS_FRAMES_IN_FLIGHT;
            }

            @Override
            public void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed) {
                ByteBuffer frame = s.batcher.frame(entries, frames);
                l.send(frame, () -> {
                    frames.written(frame.array());
                    written.run();
                }, error -> {
                    frames.abandoned(frame.array());
                    failed.accept(error);
                });
            }

            @Override
            public void tooLarge(OutboxEntry entry) {
                s.oversized(entry);
                l.send(s.wire.dropped(List.of(new SeqRange(entry.seq(), entry.seq()))));
            }
        };
    }

    /** The link ended (close frame, error, half-open, no welcome): react per §3.8. */
    void linkClosed(int code, String reason) {
        boolean wasConnected = s.life.phase() == Phase.CONNECTED;
        LOG.info("WebSocket to {} closed: {} {}", s.endpoints.current(), code, reason == null ? "" : reason);
        if (code != 4409) {
            // failoverAfterMs counts from the loss; a superseded session is no trouble of the endpoint (§3.8: wait,
            // then reconnect): counted, the wait alone would pass the deadline and move the session elsewhere
            s.endpoints.troubleStarted(System.currentTimeMillis());
        }
        s.tearDown(code + " " + (reason == null ? "" : reason));
        s.toWaiting();
        Settings settings = s.settings;
        switch (code) {
            case 4401 -> {
                s.needTokenRefresh = true;
                s.attempts.scheduleAttempt(s.backoff.next(settings));
            }
            case 4403 -> s.attempts.refused(s.endpoints.current(), "WebSocket closed with 4403");
            case 4409 -> {
                LOG.warn("Session superseded by a newer one (4409): waiting {} ms", settings.backoffMaxMs());
                s.attempts.scheduleAttempt(settings.backoffMaxMs());
            }
            default -> {
                if (wasConnected) {
                    s.attempts.scheduleAttempt(s.backoff.next(settings));
                } else {
                    s.attempts.failed(Attempts.Wait.BACKOFF);
                }
            }
        }
    }

    /**
     * §3.4: no frame for 3 heartbeat intervals is a dead (half-open) connection. Sooner with a ping: after one
     * silent interval the gateway pings, and a ping unanswered for {@link #PONG_TIMEOUT_MS} also ends the
     * connection (15 s at the usual 10 s interval instead of 30, for RNF-003's recovery within 30 s; a WMS that is
     * there answers pings whatever its load, as its WebSocket stack does). Frames in flight with none completed for
     * {@link SessionEngine#WRITE_STALL_MS} are a stuck connection. Either way the session is replaced.
     */
    private void scheduleWatch() {
        Session.cancel(s.watchTimer);
        Registration r = s.registration;
        long interval = (r == null ? 10 : r.heartbeatIntervalSeconds()) * 1000L;
        long epoch = s.life.epoch();
        long[] pingSentAt = {0};
        s.watchTimer = s.loop.scheduleWithFixedDelay(() -> {
            WsLink l = s.link;
            if (!s.life.isCurrent(epoch) || l == null) {
                return;
            }
            long now = System.currentTimeMillis();
            long lastFrame = s.lastFrameAt;
            long silent = now - lastFrame;
            long stalled = s.delivery.stalledForMs();
            boolean pingUnanswered = pingSentAt[0] > lastFrame && now - pingSentAt[0] > PONG_TIMEOUT_MS;
            if (silent > 3 * interval || pingUnanswered) {
                String how = pingUnanswered ? " (a ping unanswered for " + (now - pingSentAt[0]) + " ms)" : "";
                LOG.warn("No frame from {} for {} ms{}: connection considered dead", s.endpoints.current(), silent, how);
                l.abort();
                s.endpoints.troubleStarted(lastFrame); // the WMS went silent then: failoverAfterMs counts from there
                linkClosed(1006, "half-open: no frame for " + silent + " ms" + how);
            } else if (silent > interval && pingSentAt[0] <= lastFrame) {
                pingSentAt[0] = now;
                l.ping();
            } else if (stalled > SessionEngine.WRITE_STALL_MS) {
                // The WMS talks but takes nothing from us (its side stuck, or a lost write completion):
                // a new session resends from its lastReceivedSeq.
                LOG.warn("No durable frame to {} completed for {} ms: reconnecting", s.endpoints.current(), stalled);
                l.abort();
                linkClosed(1006, "writes stalled for " + stalled + " ms");
            }
        }, Math.max(50, interval / 4), Math.max(50, interval / 4), TimeUnit.MILLISECONDS);
    }

    void cancelTimers() {
        Session.cancel(welcomeTimer);
    }
}
