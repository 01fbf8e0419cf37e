package site.gateway.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/** A test-only outbox in memory, with an optional capacity (drop-oldest) and append timestamps. */
class InMemoryOutbox implements Outbox {
    private final ConcurrentSkipListMap<Long, OutboxEntry> entries = new ConcurrentSkipListMap<>();
    private final List<SeqRange> dropped = new CopyOnWriteArrayList<>();
    private final List<OutboxListener> listeners = new CopyOnWriteArrayList<>();
    private final int capacity;
    private long next = 1;
    private volatile long lastAcked;
    private long droppedTotal;

    InMemoryOutbox() {
        this(Integer.MAX_VALUE);
    }

    InMemoryOutbox(int capacity) {
        this.capacity = capacity;
    }

    void addListener(OutboxListener listener) {
        listeners.add(listener);
    }

    /** Appends a small telemetry message like the PLC bundle would. */
    long appendTelemetry(String tenant, String gateway, int i) {
        String json = "{\"type\":\"telemetry\",\"tenantId\":\"" + tenant + "\",\"gatewayId\":\"" + gateway
                + "\",\"plcId\":\"plc-1\",\"ts\":" + System.currentTimeMillis()
                + ",\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":" + (i % 1000) / 10.0
                + ",\"quality\":\"good\",\"ts\":" + System.currentTimeMillis() + "}]}";
        return append(MessageType.TELEMETRY, json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long append(MessageType type, byte[] json) {
        long seq;
        SeqRange discarded = null;
        synchronized (this) {
            seq = next;
            entries.put(seq, new OutboxEntry(seq, type, System.currentTimeMillis(), json));
            next++;
            if (entries.size() > capacity) {
                Map.Entry<Long, OutboxEntry> oldest = entries.pollFirstEntry();
                discarded = new SeqRange(oldest.getKey(), oldest.getKey());
                dropped.add(discarded);
                droppedTotal++;
            }
        }
        for (OutboxListener l : listeners) {
            l.appended(seq);
            if (discarded != null) {
                l.dropped(discarded);
            }
        }
        return seq;
    }

    @Override
    public List<OutboxEntry> read(long fromSeq, int maxItems) {
        List<OutboxEntry> result = new ArrayList<>(Math.min(maxItems, 1024));
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
        if (upTo <= lastAcked) {
            return;
        }
        entries.headMap(upTo, true).clear();
        dropped.removeIf(r -> r.to() <= upTo);
        lastAcked = upTo;
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
        return List.copyOf(dropped);
    }

    @Override
    public OutboxStats stats() {
        Map.Entry<Long, OutboxEntry> first = entries.firstEntry();
        return new OutboxStats(entries.size(), 0, first == null ? 0 : first.getValue().createdAt(), droppedTotal, 0);
    }

    boolean contains(long seq) {
        return entries.containsKey(seq);
    }
}
