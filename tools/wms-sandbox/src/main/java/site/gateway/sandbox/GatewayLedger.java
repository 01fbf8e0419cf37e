package site.gateway.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the WMS has stored for one (tenant, gateway): deduplication by seq, announced dropped
 * ranges, and {@code lastReceivedSeq} = the highest N with every seq 1..N stored or dropped.
 */
final class GatewayLedger {

    final String tenantId;
    final String gatewayId;
    private final int maxRetained;
    private final TreeMap<Long, ReceivedMessage> messages = new TreeMap<>();
    private final TreeSet<Long> above = new TreeSet<>();
    private final TreeMap<Long, Long> dropped = new TreeMap<>();
    private long contiguous;
    private long stored;
    private long duplicates;

    GatewayLedger(String tenantId, String gatewayId, int maxRetained) {
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        this.maxRetained = maxRetained;
    }

    /** Stores a durable message; false when its seq was already stored (or dropped below the watermark). */
    synchronized boolean store(ReceivedMessage message) {
        long seq = message.seq();
        if (seq <= contiguous || above.contains(seq)) {
            duplicates++;
            return false;
        }
        stored++;
        if (maxRetained > 0) {
            messages.put(seq, message);
            if (messages.size() > maxRetained) {
                messages.pollFirstEntry(); // bodies are bounded; seqs and counts are not
            }
        }
        if (seq == contiguous + 1) {
            contiguous = seq;
            advance();
        } else {
            above.add(seq);
        }
        return true;
    }

    synchronized void addDropped(long from, long to) {
        if (from > to || to <= contiguous) {
            return;
        }
        dropped.merge(from, to, Math::max);
        advance();
    }

    private void advance() {
        while (true) {
            long next = contiguous + 1;
            if (above.remove(next)) {
                contiguous = next;
                continue;
            }
            long end = coveringEnd(next);
            if (end >= next) {
                contiguous = end;
                above.headSet(contiguous, true).clear();
                continue;
            }
            return;
        }
    }

    private long coveringEnd(long seq) {
        long end = -1;
        for (long to : dropped.headMap(seq, true).values()) {
            end = Math.max(end, to);
        }
        return end;
    }

    synchronized long lastReceivedSeq() {
        return contiguous;
    }

    synchronized long storedCount() {
        return stored;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized List<ReceivedMessage> messages() {
        return new ArrayList<>(messages.values());
    }

    synchronized ReceivedMessage message(long seq) {
        return messages.get(seq);
    }

    synchronized List<long[]> droppedRanges() {
        List<long[]> out = new ArrayList<>();
        for (NavigableMap.Entry<Long, Long> e : dropped.entrySet()) {
            out.add(new long[] {e.getKey(), e.getValue()});
        }
        return out;
    }
}
