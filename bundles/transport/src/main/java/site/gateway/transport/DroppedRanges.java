package site.gateway.transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import site.gateway.api.outbox.SeqRange;

/**
 * Dropped seq ranges as they go on the wire (§3.1 hello, §3.2 dropped, §2.6 batch): merged where they
 * overlap or touch, above the WMS's mark, and cut into pieces small enough for one frame whatever the
 * drop history (hours of drop-oldest can leave hundreds of thousands of ranges).
 */
final class DroppedRanges {
    /** Ranges carried by {@code hello} itself: at most ~44 bytes each, so hello stays under 50 KB. */
    static final int HELLO_MAX = 1000;
    /** Ranges per {@code dropped} message after the welcome: under ~450 KB, far below the 1 MiB frame. */
    static final int MESSAGE_MAX = 10_000;
    /** Ranges per HTTPS batch (§2.6): the batch's room is kept for its items. */
    static final int BATCH_MAX = 500;
    /** Bytes a batch keeps free for its {@code dropped} member: BATCH_MAX ranges of two 19-digit numbers. */
    static final int BATCH_RESERVED_BYTES = BATCH_MAX * 44 + 64;

    private DroppedRanges() {
    }

    /** The ranges above {@code above}, sorted, overlapping or adjacent ones merged, clipped to start above it. */
    static List<SeqRange> coalesce(List<SeqRange> ranges, long above) {
        List<SeqRange> sorted = new ArrayList<>(ranges.size());
        for (SeqRange r : ranges) {
            if (r.to() > above) {
                sorted.add(r.from() > above ? r : new SeqRange(above + 1, r.to()));
            }
        }
        sorted.sort(Comparator.comparingLong(SeqRange::from));
        List<SeqRange> out = new ArrayList<>();
        long from = -1;
        long to = -1;
        for (SeqRange r : sorted) {
            if (from < 0) {
                from = r.from();
                to = r.to();
            } else if (r.from() <= to + 1) {
                to = Math.max(to, r.to());
            } else {
                out.add(new SeqRange(from, to));
                from = r.from();
                to = r.to();
            }
        }
        if (from >= 0) {
            out.add(new SeqRange(from, to));
        }
        return out;
    }

    /** Consecutive pieces of at most {@code max} ranges each. */
    static List<List<SeqRange>> chunks(List<SeqRange> ranges, int max) {
        List<List<SeqRange>> out = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i += max) {
            out.add(List.copyOf(ranges.subList(i, Math.min(ranges.size(), i + max))));
        }
        return out;
    }
}
