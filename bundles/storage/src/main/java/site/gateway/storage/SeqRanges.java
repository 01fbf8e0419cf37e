package site.gateway.storage;

import java.util.Map;
import java.util.NavigableMap;
import java.util.function.LongConsumer;

/** Closed ranges of seqs held as {@code from -> to}, merged when they overlap or touch. */
final class SeqRanges {
    private SeqRanges() {
    }

    /**
     * Adds {@code [from, to]} to {@code ranges}, merging overlapping and adjacent ones.
     *
     * @param mergedAway told the start of each range that was merged into another and removed
     * @return the start of the range that now holds {@code [from, to]}
     */
    static long add(NavigableMap<Long, Long> ranges, long from, long to, LongConsumer mergedAway) {
        long f = from;
        long t = to;
        Map.Entry<Long, Long> before = ranges.floorEntry(f);
        if (before != null && before.getValue() >= f - 1) {
            f = before.getKey();
            t = Math.max(t, before.getValue());
        }
        Map.Entry<Long, Long> after = ranges.ceilingEntry(f + 1);
        while (after != null && after.getKey() <= t + 1) {
            t = Math.max(t, after.getValue());
            ranges.remove(after.getKey());
            mergedAway.accept(after.getKey());
            after = ranges.ceilingEntry(f + 1);
        }
        ranges.put(f, t);
        return f;
    }
}
