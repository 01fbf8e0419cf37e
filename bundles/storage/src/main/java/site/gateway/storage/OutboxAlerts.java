package site.gateway.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Severity;

/**
 * Collects what the buffer must alert about and turns it into alerts on the ticker. At most one
 * {@code buffer.dropped} alert is outstanding (raised and not yet acknowledged by the WMS): while it
 * is, new drops only extend the pending ranges, so that hours of drop-oldest produce one alert, not
 * one a second (each alert is itself a kept-longer message that would split the dropped ranges). The
 * ranges of all {@code buffer.dropped} alerts together are exactly the ranges announced as dropped.
 */
final class OutboxAlerts {
    static final int MAX_RANGES_PER_ALERT = 1000;
    static final String DROPPED = "buffer.dropped";
    private static final int HIGH_WATER_HYSTERESIS = 5;

    /** Where the outstanding alert is now, asked of the store by seq. */
    enum Fate {
        /** Still held, not acknowledged. */
        HELD,
        /** Acknowledged by the WMS. */
        DELIVERED,
        /** Discarded itself (drop-oldest ran out of telemetry): its ranges go into the next alert. */
        LOST
    }

    /** A {@code buffer.dropped} alert raised, with what it carried, until it is delivered. */
    private record Outstanding(long seq, long count, List<SeqRange> ranges) {
    }

    private long droppedCount;
    private long rejectedCount;
    /** Pending dropped ranges, coalesced: from -> to. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private final List<Alert> immediate = new ArrayList<>();
    private final List<Outstanding> outstanding = new ArrayList<>();
    private boolean highWaterRaised;

    synchronized void dropped(List<SeqRange> dropped, boolean counted) {
        for (SeqRange r : dropped) {
            if (counted) {
                droppedCount += r.size();
            }
            merge(r.from(), r.to());
        }
    }

    synchronized void rejected() {
        rejectedCount++;
    }

    /** An alert to raise at the next tick as it is (corrupt file, seq raised, ...). */
    synchronized void immediate(Alert alert) {
        immediate.add(alert);
    }

    /** The immediate alerts only, taken (while the buffer is unavailable). */
    synchronized List<Alert> takeImmediate() {
        List<Alert> out = new ArrayList<>(immediate);
        immediate.clear();
        return out;
    }

    /** The ticker raised a {@code buffer.dropped} alert that the buffer stored with this seq (0 if unknown). */
    synchronized void raised(Alert alert, long seq) {
        if (seq <= 0 || !DROPPED.equals(alert.code())) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<List<Long>> wire = (List<List<Long>>) alert.fields().getOrDefault("ranges", List.of());
        List<SeqRange> carried = new ArrayList<>();
        wire.forEach(r -> carried.add(new SeqRange(r.get(0), r.get(1))));
        Object count = alert.fields().get("count");
        outstanding.add(new Outstanding(seq, count instanceof Number n ? n.longValue() : 0, carried));
    }

    /** Pending ranges (coalesced) and outstanding alerts, for tests and the console. */
    synchronized int pendingRanges() {
        return ranges.size();
    }

    synchronized int outstandingAlerts() {
        return outstanding.size();
    }

    /** The alerts due now; clears what they report. {@code fate} tells where an outstanding alert is. */
    synchronized List<Alert> due(OutboxStats stats, long maxBytes, int highWaterPercent,
            java.util.function.LongFunction<Fate> fate) {
        List<Alert> out = new ArrayList<>(immediate);
        immediate.clear();
        for (var it = outstanding.iterator(); it.hasNext();) {
            Outstanding o = it.next();
            Fate f = fate.apply(o.seq());
            if (f == Fate.LOST) {
                droppedCount += o.count();
                o.ranges().forEach(r -> merge(r.from(), r.to()));
            }
            if (f != Fate.HELD) {
                it.remove();
            }
        }
        if (outstanding.isEmpty() && (droppedCount > 0 || !ranges.isEmpty())) {
            List<List<Long>> wire = new ArrayList<>();
            while (!ranges.isEmpty() && wire.size() < MAX_RANGES_PER_ALERT) {
                Map.Entry<Long, Long> r = ranges.pollFirstEntry();
                wire.add(List.of(r.getKey(), r.getValue()));
            }
            String message = droppedCount > 0
                    ? "Buffer full: " + droppedCount + " messages discarded (oldest first)"
                    : "Seqs of a buffer file set aside as corrupt are announced as dropped";
            out.add(new Alert(Severity.WARNING, DROPPED, message, null,
                    Map.of("count", droppedCount, "ranges", wire)));
            droppedCount = 0;
        } else if (outstanding.isEmpty() && rejectedCount > 0) {
            out.add(new Alert(Severity.WARNING, DROPPED, "Buffer full: " + rejectedCount
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

    /** Adds {@code [from, to]} to the pending ranges, merging overlapping and adjacent ones. */
    private void merge(long from, long to) {
        SeqRanges.add(ranges, from, to, start -> { });
    }
}
