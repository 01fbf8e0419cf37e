package site.gateway.heartbeat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongConsumer;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/** An in-memory outbox for the end-to-end test; tells a listener (the transport) of each append. */
final class MemoryOutbox implements Outbox {
    private final TreeMap<Long, OutboxEntry> entries = new TreeMap<>();
    private long nextSeq = 1;
    private long lastAcked;
    volatile LongConsumer appended = seq -> { };

    @Override
    public long append(MessageType type, byte[] json) {
        long seq;
        synchronized (this) {
            seq = nextSeq++;
            entries.put(seq, new OutboxEntry(seq, type, System.currentTimeMillis(), json));
        }
        appended.accept(seq);
        return seq;
    }

    @Override
    public synchronized List<OutboxEntry> read(long fromSeq, int maxItems) {
        List<OutboxEntry> out = new ArrayList<>();
        for (OutboxEntry e : entries.tailMap(fromSeq, true).values()) {
            if (out.size() >= maxItems) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(long upTo) {
        entries.headMap(upTo, true).clear();
        lastAcked = Math.max(lastAcked, upTo);
    }

    @Override
    public synchronized long lastAckedSeq() {
        return lastAcked;
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
        long bytes = entries.values().stream().mapToLong(e -> e.json().length).sum();
        long oldest = entries.isEmpty() ? 0 : entries.firstEntry().getValue().createdAt();
        return new OutboxStats(entries.size(), bytes, oldest, 0, 0);
    }
}
