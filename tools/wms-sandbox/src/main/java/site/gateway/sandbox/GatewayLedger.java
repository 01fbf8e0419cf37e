package site.gateway.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the WMS has stored for one (tenant, gateway): deduplication by seq, announced dropped
 * ranges, and {@code lastReceivedSeq} = the highest N with every seq 1..N stored or dropped.
 * It also keeps what a careful WMS would check the gateway against (see {@link LedgerReport}): a
 * fingerprint of every stored message, so that a seq that comes back with other content (reused) is
 * caught; holes below the highest seq; the ranges {@code buffer.dropped} alerts reported; and how many
 * results each command got.
 */
final class GatewayLedger {
    private static final int CHUNK = 4096;

    final String tenantId;
    final String gatewayId;
    private final int maxRetained;
    private final TreeMap<Long, ReceivedMessage> messages = new TreeMap<>();
    /** Stored seqs above {@link #contiguous}. */
    private final TreeSet<Long> above = new TreeSet<>();
    /** Announced dropped ranges, merged: from → to, disjoint and not touching. */
    private final TreeMap<Long, Long> dropped = new TreeMap<>();
    /** Ranges of stored buffer.dropped alerts, merged the same way. */
    private final TreeMap<Long, Long> alerted = new TreeMap<>();
    /** Fingerprints of stored messages by seq, in chunks of {@link #CHUNK} (0 = none stored). */
    private final Map<Long, long[]> fingerprints = new HashMap<>();
    private final Map<String, Integer> resultsPerCommand = new HashMap<>();
    private final List<Long> reusedSeqs = new ArrayList<>();
    private long contiguous;
    private long highest;
    private long stored;
    private long duplicates;
    private long reused;
    private long alertedCount;

    GatewayLedger(String tenantId, String gatewayId, int maxRetained) {
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        this.maxRetained = maxRetained;
    }

    /** Stores a durable message; false when its seq was already stored (or dropped below the watermark). */
    synchronized boolean store(ReceivedMessage message) {
        long seq = message.seq();
        long print = fingerprint(message.json());
        long known = fingerprintOf(seq);
        if (known != 0 || seq <= contiguous || above.contains(seq)) {
            duplicates++;
            if (known != 0 && known != print) {
                reused++;
                if (reusedSeqs.size() < 20) {
                    reusedSeqs.add(seq);
                }
            }
            return false;
        }
        stored++;
        highest = Math.max(highest, seq);
        remember(seq, print);
        if (maxRetained > 0) {
            messages.put(seq, message);
            if (messages.size() > maxRetained) {
                messages.pollFirstEntry(); // bodies are bounded; seqs and counts are not
            }
        }
        noteContent(message.json());
        if (seq == contiguous + 1) {
            contiguous = seq;
            advance();
        } else {
            above.add(seq);
        }
        return true;
    }

    synchronized void addDropped(long from, long to) {
        if (from > to) {
            return;
        }
        highest = Math.max(highest, to);
        merge(dropped, from, to);
        advance();
    }

    /** Adds [from, to] to a map of disjoint, non-touching ranges, merging what it overlaps or touches. */
    private static void merge(TreeMap<Long, Long> ranges, long from, long to) {
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

    private void advance() {
        while (true) {
            long next = contiguous + 1;
            if (above.remove(next)) {
                contiguous = next;
                continue;
            }
            Map.Entry<Long, Long> range = dropped.floorEntry(next);
            if (range != null && range.getValue() >= next) {
                contiguous = range.getValue();
                above.headSet(contiguous, true).clear();
                continue;
            }
            return;
        }
    }

    private void noteContent(JsonNode m) {
        String type = m.path("type").asText();
        if ("command.result".equals(type)) {
            resultsPerCommand.merge(m.path("commandId").asText(), 1, Integer::sum);
        } else if ("alert".equals(type) && "buffer.dropped".equals(m.path("code").asText())) {
            alertedCount += m.path("count").asLong(0);
            for (JsonNode r : m.path("ranges")) {
                if (r.isArray() && r.size() == 2 && r.get(0).asLong() >= 1 && r.get(1).asLong() >= r.get(0).asLong()) {
                    merge(alerted, r.get(0).asLong(), r.get(1).asLong());
                }
            }
        }
    }

    /** FNV-1a over the message's JSON without its seq: a resend has the same, another message almost surely not. */
    private static long fingerprint(JsonNode json) {
        JsonNode content = json;
        if (json.isObject() && json.has("seq")) {
            content = json.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) content).remove("seq");
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : content.toString().getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    private long fingerprintOf(long seq) {
        long[] chunk = fingerprints.get(seq / CHUNK);
        return chunk == null ? 0 : chunk[(int) (seq % CHUNK)];
    }

    private void remember(long seq, long print) {
        fingerprints.computeIfAbsent(seq / CHUNK, k -> new long[CHUNK])[(int) (seq % CHUNK)] = print;
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
        return pairs(dropped);
    }

    private static List<long[]> pairs(TreeMap<Long, Long> ranges) {
        List<long[]> out = new ArrayList<>(ranges.size());
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            out.add(new long[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    synchronized Map<String, Integer> resultsPerCommand() {
        return new HashMap<>(resultsPerCommand);
    }

    synchronized LedgerReport report() {
        long holes = 0;
        List<long[]> firstHoles = new ArrayList<>();
        long seq = contiguous + 1;
        while (seq <= highest) {
            if (fingerprintOf(seq) != 0) {
                seq++;
                continue;
            }
            Map.Entry<Long, Long> range = dropped.floorEntry(seq);
            if (range != null && range.getValue() >= seq) {
                seq = range.getValue() + 1;
                continue;
            }
            long from = seq;
            while (seq <= highest && fingerprintOf(seq) == 0 && !coveredByDropped(seq)) {
                seq++;
            }
            holes += seq - from;
            if (firstHoles.size() < 20) {
                firstHoles.add(new long[] {from, seq - 1});
            }
        }
        long announced = 0;
        for (Map.Entry<Long, Long> e : dropped.entrySet()) {
            announced += e.getValue() - e.getKey() + 1;
        }
        List<String> repeated = new ArrayList<>();
        resultsPerCommand.forEach((id, n) -> {
            if (n > 1) {
                repeated.add(id + " x" + n);
            }
        });
        return new LedgerReport(highest, contiguous, stored, duplicates, reused, List.copyOf(reusedSeqs), holes,
                firstHoles, announced, pairs(dropped), pairs(alerted), alertedCount, resultsPerCommand.size(), repeated);
    }

    private boolean coveredByDropped(long seq) {
        Map.Entry<Long, Long> range = dropped.floorEntry(seq);
        return range != null && range.getValue() >= seq;
    }
}
