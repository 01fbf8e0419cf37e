package site.gateway.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/** An unbounded in-memory outbox that the transport can read and acknowledge; tells a callback of appends. */
final class MemoryOutbox implements Outbox {
    private final ConcurrentSkipListMap<Long, OutboxEntry> entries = new ConcurrentSkipListMap<>();
    private long next = 1;
    private volatile long lastAcked;
    volatile Runnable onAppend = () -> { };

    @Override
    public long append(MessageType type, byte[] json) {
        long seq;
        synchronized (this) {
            seq = next++;
            entries.put(seq, new OutboxEntry(seq, type, System.currentTimeMillis(), json));
        }
        onAppend.run();
        return seq;
    }

    @Override
    public List<OutboxEntry> read(long fromSeq, int maxItems) {
        List<OutboxEntry> result = new ArrayList<>();
        for (OutboxEntry e : entries.tailMap(fromSeq, true).values()) {
            if (result.size() >= maxItems) {
                break;
            }
            result.add(e);
        }
        return result;
    }

    @Override
    public synchronized void acknowledge(long upTo) {
        if (upTo > lastAcked) {
            entries.headMap(upTo, true).clear();
            lastAcked = upTo;
        }
    }

    @Override
    public long lastAckedSeq() {
        return lastAcked;
    }

    @Override
    public synchronized long nextSeq() {
        return next;
    }

    @Override
    public List<SeqRange> droppedRanges() {
        return List.of();
    }

    @Override
    public OutboxStats stats() {
        Map.Entry<Long, OutboxEntry> first = entries.firstEntry();
        return new OutboxStats(entries.size(), 0, first == null ? 0 : first.getValue().createdAt(), 0, 0);
    }
}
