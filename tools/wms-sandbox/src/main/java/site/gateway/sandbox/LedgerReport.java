package site.gateway.sandbox;

import java.util.List;

/**
 * What one gateway's ledger shows about loss and honesty (protocol §3.1–§3.3, §4), for tests and the admin API.
 *
 * @param highestSeq        highest seq seen, stored or announced dropped
 * @param lastReceivedSeq   every seq 1..N stored or announced dropped (§3.1)
 * @param stored            distinct seqs stored
 * @param duplicates        messages received again after they were stored (harmless resends)
 * @param reused            seqs received again with different content: a seq given to two messages (§3.2)
 * @param reusedSeqs        the first few of those seqs
 * @param holes             seqs below {@code highestSeq} neither stored nor announced dropped
 * @param firstHoles        the first few holes, as [from, to] pairs
 * @param announcedDropped  distinct seqs announced dropped (hello, dropped, HTTPS batch)
 * @param droppedRanges     the announced ranges, merged, as [from, to] pairs
 * @param alertedDroppedRanges the ranges carried by stored {@code buffer.dropped} alerts, merged
 * @param alertedDroppedCount  the sum of those alerts' {@code count}
 * @param commandResults    distinct commandIds with a stored {@code command.result}
 * @param repeatedCommandResults commandIds with more than one {@code command.result} under different seqs
 */
public record LedgerReport(long highestSeq, long lastReceivedSeq, long stored, long duplicates, long reused,
        List<Long> reusedSeqs, long holes, List<long[]> firstHoles, long announcedDropped, List<long[]> droppedRanges,
        List<long[]> alertedDroppedRanges, long alertedDroppedCount, long commandResults,
        List<String> repeatedCommandResults) {

    /** One line for logs and assertion messages. */
    public String summary() {
        return "highest " + highestSeq + ", lastReceived " + lastReceivedSeq + ", stored " + stored + ", duplicates "
                + duplicates + ", reused " + reused + " " + reusedSeqs + ", holes " + holes + " " + pairs(firstHoles)
                + ", announced dropped " + announcedDropped + " in " + droppedRanges.size() + " ranges, alerted dropped "
                + alertedDroppedCount + " in " + alertedDroppedRanges.size() + " ranges, command results " + commandResults
                + ", repeated " + repeatedCommandResults;
    }

    static String pairs(List<long[]> ranges) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(10, ranges.size()); i++) {
            b.append(i == 0 ? "" : ", ").append('[').append(ranges.get(i)[0]).append(", ").append(ranges.get(i)[1]).append(']');
        }
        return b.append(ranges.size() > 10 ? ", ...]" : "]").toString();
    }
}
