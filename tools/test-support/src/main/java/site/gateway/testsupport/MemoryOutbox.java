package site.gateway.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/**
 * An unbounded in-memory {@link Outbox}: seq from 1, read from a position, cumulative acknowledgement,
 * never drops; every message durable at once unless a test holds durability back. Checks that each appended message is a JSON object whose {@code type} matches, and
 * keeps it parsed for the tests' queries. The storage bundle's own tests cover durability and limits.
 */
public class MemoryOutbox implements Outbox {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeMap<Long, Buffered> entries = new TreeMap<>();
    private long nextSeq = 1;
    private long lastAcked;
    /** {@link #durableSeq()} while held; {@code Long.MAX_VALUE}: every appended message is durable at once. */
    private long durableHeldAt = Long.MAX_VALUE;
    private volatile LongConsumer onAppend = seq -> { };

    private record Buffered(OutboxEntry entry, JsonNode message) {
    }

    /** Called with the seq after each append, outside the outbox's lock (as the real OutboxListener is). */
    public void onAppend(LongConsumer listener) {
        this.onAppend = listener == null ? seq -> { } : listener;
    }

    @Override
    public long append(MessageType type, byte[] json) {
        JsonNode message = parse(json);
        if (!message.isObject() || !type.wireName().equals(message.path("type").asText())) {
            throw new IllegalArgumentException("type mismatch: " + type + " vs " + message);
        }
        long seq;
        synchronized (this) {
            seq = nextSeq++;
            entries.put(seq, new Buffered(new OutboxEntry(seq, type, System.currentTimeMillis(), json), message));
        }
        onAppend.accept(seq);
        return seq;
    }

    @Override
    public synchronized List<OutboxEntry> read(long fromSeq, int maxItems) {
        List<OutboxEntry> out = new ArrayList<>();
        for (Buffered b : entries.tailMap(fromSeq, true).values()) {
            if (out.size() >= maxItems) {
                break;
            }
            out.add(b.entry());
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(long upTo) {
        entries.headMap(upTo, true).clear();
        lastAcked = Math.max(lastAcked, upTo);
    }

    /** Acknowledges everything appended so far, as if the WMS had received it. */
    public synchronized void acknowledgeAll() {
        acknowledge(nextSeq - 1);
    }

    @Override
    public synchronized long lastAckedSeq() {
        return lastAcked;
    }

    @Override
    public synchronized long nextSeq() {
        return nextSeq;
    }

    /** Highest durable seq: the last appended one, unless a test {@link #holdDurability() holds it back}. */
    @Override
    public synchronized long durableSeq() {
        return Math.min(nextSeq - 1, durableHeldAt);
    }

    /** From now on appended messages stay non-durable (as if the disk had not caught up) until released. */
    public synchronized void holdDurability() {
        durableHeldAt = nextSeq - 1;
    }

    /** Everything appended is durable again. */
    public synchronized void releaseDurability() {
        durableHeldAt = Long.MAX_VALUE;
    }

    @Override
    public List<SeqRange> droppedRanges() {
        return List.of();
    }

    @Override
    public synchronized OutboxStats stats() {
        long bytes = entries.values().stream().mapToLong(b -> b.entry().json().length).sum();
        Map.Entry<Long, Buffered> first = entries.firstEntry();
        return new OutboxStats(entries.size(), bytes, first == null ? 0 : first.getValue().entry().createdAt(), 0, 0);
    }

    /** Every buffered (not yet acknowledged) message, parsed, in seq order. */
    public synchronized List<JsonNode> messages() {
        return entries.values().stream().map(Buffered::message).toList();
    }

    /** The buffered messages of one type, parsed, in seq order. */
    public synchronized List<JsonNode> messages(MessageType type) {
        return entries.values().stream().filter(b -> b.entry().type() == type).map(Buffered::message).toList();
    }

    /** The last buffered message of a type, or null. */
    public synchronized JsonNode lastMessage(MessageType type) {
        List<JsonNode> all = messages(type);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The last reading of a tag in any buffered telemetry message, or null. */
    public synchronized JsonNode lastReading(String tag) {
        List<JsonNode> all = messages(MessageType.TELEMETRY);
        for (int i = all.size() - 1; i >= 0; i--) {
            for (JsonNode reading : all.get(i).path("readings")) {
                if (reading.path("tag").asText().equals(tag)) {
                    return reading;
                }
            }
        }
        return null;
    }

    /** The buffered command.result of a command, or null. */
    public synchronized JsonNode commandResult(String commandId) {
        return messages(MessageType.COMMAND_RESULT).stream()
                .filter(m -> m.path("commandId").asText().equals(commandId)).findFirst().orElse(null);
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }
}
