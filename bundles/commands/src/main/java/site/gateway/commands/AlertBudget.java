package site.gateway.commands;

/**
 * How many {@code command.rejected} alerts may be raised per window. Each alert is durable and alerts
 * are dropped only after all telemetry, so a flood of forged commands must not be able to fill the
 * buffer with them: beyond the budget, rejections are counted (and still audited and logged) and the
 * next alert carries the count. Used under the caller's lock.
 */
final class AlertBudget {
    private final int perWindow;
    private final long windowMs;
    private long windowStart = Long.MIN_VALUE;
    private int used;
    private long suppressed;

    AlertBudget(int perWindow, long windowMs) {
        this.perWindow = perWindow;
        this.windowMs = windowMs;
    }

    /** True if an alert may be raised now; otherwise the rejection is counted as suppressed. */
    synchronized boolean tryRaise(long now) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMs) {
            windowStart = now;
            used = 0;
        }
        if (used < perWindow) {
            used++;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Rejections whose alert was suppressed since the last call; resets the count. */
    synchronized long takeSuppressed() {
        long count = suppressed;
        suppressed = 0;
        return count;
    }
}
