package site.gateway.commands;

import java.util.Map;
import java.util.TreeMap;

/**
 * Bounds what rejected commands write to the log and the audit trail (issue 13): within each window
 * the first {@code perWindow} rejections are logged and audited one by one; the others are counted by
 * reason and written as one {@code command.rejected-summary} entry when the window has passed (at the
 * next rejection, or when the service stops). A flood of bad frames therefore grows {@code logs/} and
 * {@code data/audit} by a bounded amount per minute, whatever its rate.
 */
final class RejectionRecorder {
    /** What the recorder writes to; the service's log and audit. */
    interface Sink {
        void one(String commandId, String reason, String detail);

        void summary(long from, long to, long count, Map<String, Long> byReason);
    }

    private final int perWindow;
    private final long windowMs;
    private final Sink sink;
    private long windowStart = Long.MIN_VALUE;
    private int written;
    private long counted;
    private final Map<String, Long> byReason = new TreeMap<>();

    RejectionRecorder(int perWindow, long windowMs, Sink sink) {
        this.perWindow = perWindow;
        this.windowMs = windowMs;
        this.sink = sink;
    }

    synchronized void rejected(long now, String commandId, String reason, String detail) {
        if (windowStart == Long.MIN_VALUE || now - windowStart >= windowMs) {
            flush(now);
            windowStart = now;
            written = 0;
        }
        if (written < perWindow) {
            written++;
            sink.one(commandId, reason, detail);
        } else {
            counted++;
            byReason.merge(reason, 1L, Long::sum);
        }
    }

    /** Writes the summary of what was only counted, if anything. */
    synchronized void flush(long now) {
        if (counted > 0) {
            sink.summary(windowStart, now, counted, Map.copyOf(byReason));
        }
        counted = 0;
        byReason.clear();
    }
}
