package site.gateway.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import site.gateway.api.outbox.SeqRange;

/**
 * Drops the outbox reported while no WebSocket session was synchronised (offline, registering, between
 * hello and welcome, HTTPS fallback), kept merged until they can be announced. The outbox forgets a
 * dropped range once the WMS acknowledges past it, but its {@code buffer.dropped} alert still reports
 * it: announcing these too keeps the announced ranges equal to the alerted ones. Session thread only.
 */
final class DropsToAnnounce {
    /** from → to, disjoint and not touching. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(SeqRange range) {
        long from = range.from();
        long to = range.to();
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from - 1) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(from);
        while (next != null && next.getKey() <= to + 1) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(from);
        }
        ranges.put(from, to);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Removes and returns up to {@code max} ranges, lowest first. */
    List<SeqRange> take(int max) {
        List<SeqRange> out = new ArrayList<>();
        while (out.size() < max && !ranges.isEmpty()) {
            Map.Entry<Long, Long> first = ranges.pollFirstEntry();
            out.add(new SeqRange(first.getKey(), first.getValue()));
        }
        return out;
    }
}
