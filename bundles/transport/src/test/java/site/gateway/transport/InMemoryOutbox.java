package site.gateway.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/**
 * A test-only outbox in memory, with an optional capacity (drop-oldest). Buffered seqs are always
 * contiguous (only the oldest are ever dropped or acknowledged), so entries sit in a list from {@code head}.
 */
class InMemoryOutbox implements Outbox {
    private final ArrayList<OutboxEntry> entries = new ArrayList<>();
    private final List<SeqRange> dropped = new CopyOnWriteArrayList<>();
    private final List<OutboxListener> listeners = new CopyOnWriteArrayList<>();
    private final int capacity;
    private int head;
    private long next = 1;
    private volatile long lastAcked;
    private long droppedTotal;

    InMemoryOutbox() {
        this(Integer.MAX_VALUE);
    }

    InMemoryOutbox(int capacity) {
        this.capacity = capacity;
    }

    /** When true, appends tell no listener: a lost notification, for the delivery's sweep. */
    volatile boolean muted;

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
            seq = next++;
            entries.add(new OutboxEntry(seq, type, System.currentTimeMillis(), json));
            if (entries.size() - head > capacity) {
                OutboxEntry oldest = entries.get(head);
                entries.set(head++, null);
                discarded = new SeqRange(oldest.seq(), oldest.seq());
                dropped.add(discarded);
                droppedTotal++;
            }
            compact();
        }
        for (OutboxListener l : muted ? List.<OutboxListener>of() : listeners) {
            l.appended(seq);
            if (discarded != null) {
                l.dropped(discarded);
            }
        }
        return seq;
    }

    @Override
    public synchronized List<OutboxEntry> read(long fromSeq, int maxItems) {
        if (head >= entries.size()) {
            return List.of();
        }
        long first = entries.get(head).seq();
        int start = head + (int) Math.max(0, fromSeq - first);
        int end = (int) Math.min(entries.size(), (long) start + maxItems);
        return start >= end ? List.of() : new ArrayList<>(entries.subList(start, end));
    }

    @Override
    public synchronized void acknowledge(long upTo) {
        if (upTo <= lastAcked) {
            return;
        }
        while (head < entries.size() && entries.get(head).seq() <= upTo) {
            entries.set(head++, null);
        }
        dropped.removeIf(r -> r.to() <= upTo);
        lastAcked = upTo;
        compact();
    }

    private void compact() {
        if (head > 4096 && head > entries.size() / 2) {
            entries.subList(0, head).clear();
            head = 0;
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
        return List.copyOf(dropped);
    }

    @Override
    public synchronized OutboxStats stats() {
        int count = entries.size() - head;
        return new OutboxStats(count, 0, count == 0 ? 0 : entries.get(head).createdAt(), droppedTotal, 0);
    }
}
