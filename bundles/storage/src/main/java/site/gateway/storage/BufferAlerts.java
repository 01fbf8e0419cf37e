package site.gateway.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Severity;

/**
 * Collects what the buffer must alert about and turns it into at most one alert of each kind per
 * tick, so that a full buffer dropping a message per append does not flood the buffer with alerts.
 */
final class BufferAlerts {
    static final int MAX_RANGES_PER_ALERT = 1000;
    private static final int HIGH_WATER_HYSTERESIS = 5;

    private long droppedCount;
    private long rejectedCount;
    private final List<SeqRange> ranges = new ArrayList<>();
    private final List<Alert> critical = new ArrayList<>();
    private boolean highWaterRaised;

    synchronized void dropped(List<SeqRange> dropped, boolean counted) {
        for (SeqRange r : dropped) {
            if (counted) {
                droppedCount += r.size();
            }
            int last = ranges.size() - 1;
            if (last >= 0 && ranges.get(last).to() + 1 == r.from()) {
                ranges.set(last, new SeqRange(ranges.get(last).from(), r.to()));
            } else if (ranges.size() < MAX_RANGES_PER_ALERT) {
                ranges.add(r);
            }
            // beyond the cap the ranges still reach the WMS through droppedRanges() and hello
        }
    }

    synchronized void rejected() {
        rejectedCount++;
    }

    synchronized void critical(Alert alert) {
        critical.add(alert);
    }

    /** The alerts due now; clears what they report. */
    synchronized List<Alert> due(OutboxStats stats, long maxBytes, int highWaterPercent) {
        List<Alert> out = new ArrayList<>(critical);
        critical.clear();
        if (droppedCount > 0 || !ranges.isEmpty()) {
            List<List<Long>> wire = new ArrayList<>();
            ranges.forEach(r -> wire.add(List.of(r.from(), r.to())));
            String message = droppedCount > 0
                    ? "Buffer full: " + droppedCount + " messages discarded (oldest first)"
                    : "Seqs reserved before an unclean stop were never stored; announced as dropped";
            out.add(new Alert(Severity.WARNING, "buffer.dropped", message, null,
                    Map.of("count", droppedCount, "ranges", wire)));
            droppedCount = 0;
            ranges.clear();
        }
        if (rejectedCount > 0) {
            out.add(new Alert(Severity.WARNING, "buffer.dropped", "Buffer full: " + rejectedCount
                    + " new messages refused", null, Map.of("count", rejectedCount, "ranges", List.of())));
            rejectedCount = 0;
        }
        long percent = maxBytes <= 0 ? 0 : stats.bytes() * 100 / maxBytes;
        if (!highWaterRaised && percent >= highWaterPercent) {
            highWaterRaised = true;
            out.add(new Alert(Severity.WARNING, "buffer.high-water", "Buffer " + percent + "% full ("
                    + stats.messages() + " messages, " + stats.bytes() + " of " + maxBytes + " bytes)", null,
                    Map.of("percent", percent, "messages", stats.messages(), "bytes", stats.bytes())));
        } else if (highWaterRaised && percent < highWaterPercent - HIGH_WATER_HYSTERESIS) {
            highWaterRaised = false;
        }
        return out;
    }
}
