package site.gateway.transport;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one upgrade attempt's WebSocket reports, on Jetty's threads: handed to the session thread, where it
 * counts only if the attempt ({@code epoch}) and link are still the current ones. Frames waiting for the
 * session thread are bounded ({@link InboundLimit}): a WMS that floods the gateway gets its link closed.
 */
final class WsEvents implements WsDialer.Events {
    private static final Logger LOG = LoggerFactory.getLogger(WsEvents.class);

    private final Session s;
    private final long epoch;
    private final InboundLimit inbound;
    private final AtomicBoolean floodClosed = new AtomicBoolean();

    WsEvents(Session session, long epoch) {
        this.s = session;
        this.epoch = epoch;
        this.inbound = session.webSocket.inbound;
    }

    @Override
    public void text(WsLink l, String text) {
        if (!inbound.tryAcquire()) {
            if (floodClosed.compareAndSet(false, true)) {
                LOG.warn("More than {} WMS frames wait for the session thread: closing the WebSocket with {} "
                        + "(the WMS floods this gateway)", inbound.maxWaiting(), InboundLimit.CLOSE_CODE);
                s.env.audit(Session.ACTOR, "wms.inbound-flood", String.valueOf(s.endpoints.current()), "rejected",
                        Map.of("maxWaiting", inbound.maxWaiting()));
                l.close(InboundLimit.CLOSE_CODE, "inbound flood", () -> { });
            }
            return; // the connection is closing; this frame is not handled
        }
        s.loop.execute(() -> {
            try {
                s.guarded("incoming message", () -> {
                    if (s.life.isCurrent(epoch) && s.link == l) {
                        s.messages.received(l, text);
                    } else if (beforeOpen()) {
                        s.webSocket.frameBeforeOpen(text);
                    }
                });
            } finally {
                inbound.release();
            }
        });
    }

    @Override
    public void frameSeen() {
        s.lastFrameAt = System.currentTimeMillis();
    }

    @Override
    public void closed(WsLink l, int code, String reason) {
        s.loop.execute(() -> {
            if (beforeOpen()) {
                s.webSocket.closedBeforeOpen(code, reason);
            } else if (s.life.isCurrent(epoch) && s.link == l) {
                s.webSocket.linkClosed(code, reason);
            }
        });
    }

    @Override
    public void failed(WsLink l, Throwable cause) {
        s.loop.execute(() -> {
            if (beforeOpen() && l != null) {
                s.webSocket.closedBeforeOpen(1006, Failures.describe(cause));
            } else if (s.life.isCurrent(epoch) && s.link == l && l != null) {
                LOG.warn("WebSocket to {} failed: {}", s.endpoints.current(), Failures.describe(cause));
                l.abort();
                s.webSocket.linkClosed(1006, Failures.describe(cause));
            }
        });
    }

    /** This attempt's upgrade succeeded on Jetty's side but the session thread has not taken the link yet. */
    private boolean beforeOpen() {
        return s.life.isCurrent(epoch) && s.link == null && s.life.phase() == Phase.CONNECTING;
    }
}
