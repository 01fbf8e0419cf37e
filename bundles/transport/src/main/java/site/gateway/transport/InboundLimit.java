package site.gateway.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the WMS frames waiting for the session thread (issue 13): Jetty reads on, and every frame
 * becomes a task on the single session thread, so a WMS that sends faster than the gateway handles
 * (a command flood, a bug) would otherwise fill the heap. Beyond the limit the connection is closed
 * with {@link #CLOSE_CODE} and the gateway reconnects with backoff (docs/transport.md).
 */
final class InboundLimit {
    /** Policy Violation (RFC 6455): the WMS sent more than the gateway agreed to queue. */
    static final int CLOSE_CODE = 1008;
    static final int DEFAULT_MAX_WAITING = 1000;

    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    InboundLimit(int maxWaiting) {
        this.maxWaiting = maxWaiting;
    }

    /** Takes a place for one frame; false when the limit is reached (nothing taken). */
    boolean tryAcquire() {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        waiting.decrementAndGet();
    }

    int maxWaiting() {
        return maxWaiting;
    }
}
