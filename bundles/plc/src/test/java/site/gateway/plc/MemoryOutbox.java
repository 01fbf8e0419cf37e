package site.gateway.plc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/** An in-memory stand-in for the storage bundle's outbox: keeps everything, in seq order. */
final class MemoryOutbox implements Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<OutboxEntry> entries = new ArrayList<>();
    private long nextSeq = 1;

    @Override
    public synchronized long append(MessageType type, byte[] json) {
        OutboxEntry entry = new OutboxEntry(nextSeq++, type, System.currentTimeMillis(), json);
        entries.add(entry);
        return entry.seq();
    }

    @Override
    public synchronized List<OutboxEntry> read(long fromSeq, int maxItems) {
        return entries.stream().filter(e -> e.seq() >= fromSeq).limit(maxItems).toList();
    }

    @Override
    public synchronized void acknowledge(long upTo) {
        entries.removeIf(e -> e.seq() <= upTo);
    }

    @Override
    public long lastAckedSeq() {
        return 0;
    }

    @Override
    public synchronized long nextSeq() {
        return nextSeq;
    }

    @Override
    public List<SeqRange> droppedRanges() {
        return List.of();
    }

    @Override
    public synchronized OutboxStats stats() {
        return new OutboxStats(entries.size(), 0, 0, 0, 0);
    }

    /** Every telemetry message appended so far, parsed. */
    synchronized List<JsonNode> telemetry() {
        List<JsonNode> out = new ArrayList<>();
        for (OutboxEntry e : entries) {
            if (e.type() == MessageType.TELEMETRY) {
                try {
                    out.add(JSON.readTree(new String(e.json(), StandardCharsets.UTF_8)));
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return out;
    }

    synchronized JsonNode lastTelemetry() {
        List<JsonNode> all = telemetry();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The last reading of a tag in any telemetry message, or null. */
    synchronized JsonNode lastReading(String tag) {
        List<JsonNode> all = telemetry();
        for (int i = all.size() - 1; i >= 0; i--) {
            for (JsonNode r : all.get(i).get("readings")) {
                if (r.get("tag").asText().equals(tag)) {
                    return r;
                }
            }
        }
        return null;
    }
}
