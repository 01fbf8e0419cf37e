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
 * Models durability: an appended entry is durable at once (listeners hear {@code durable}) unless a test
 * {@link #holdDurability() holds it back}, as a store whose disk has not caught up would.
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
    /** The durable mark while held; {@code Long.MAX_VALUE} when every appended entry is durable at once. */
    private long durableHeldAt = Long.MAX_VALUE;
    private long wmsMark;

    /** From now on appended entries stay non-durable until {@link #releaseDurability()}. */
    synchronized void holdDurability() {
        durableHeldAt = next - 1;
    }

    /** Everything appended becomes durable; listeners hear {@code durable(upTo)}. */
    void releaseDurability() {
        long upTo;
        synchronized (this) {
            durableHeldAt = Long.MAX_VALUE;
            upTo = next - 1;
        }
        for (OutboxListener l : listeners) {
            l.durable(upTo);
        }
    }

    /** The mark {@link #continueAbove} was last asked to continue above (0 if never). */
    synchronized long continuedAbove() {
        return wmsMark;
    }

    /** Gives the next {@code count} seqs to messages that were dropped at once: a drop history without the messages. */
    synchronized SeqRange appendDropped(long count) {
        SeqRange range = new SeqRange(next, next + count - 1);
        next += count;
        dropped.add(range);
        droppedTotal += count;
        return range;
    }

    /** Drops a range as a full buffer would (for tests of what is announced), telling listeners. */
    void discard(SeqRange range) {
        synchronized (this) {
            while (head < entries.size() && entries.get(head).seq() <= range.to()) {
                entries.set(head++, null);
            }
            dropped.add(range);
            droppedTotal += range.size();
            next = Math.max(next, range.to() + 1);
        }
        for (OutboxListener l : listeners) {
            l.dropped(range);
        }
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
        boolean durable;
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
            durable = durableHeldAt == Long.MAX_VALUE;
        }
        for (OutboxListener l : muted ? List.<OutboxListener>of() : listeners) {
            l.appended(seq);
            if (durable) {
                l.durable(seq);
            }
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
        int start = firstAtOrAbove(fromSeq);
        int end = (int) Math.min(entries.size(), (long) start + maxItems);
        return start >= end ? List.of() : new ArrayList<>(entries.subList(start, end));
    }

    /** Index of the first buffered entry with seq >= fromSeq (seqs ascend; they may jump after continueAbove). */
    private int firstAtOrAbove(long fromSeq) {
        int lo = head;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).seq() < fromSeq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
    public synchronized long durableSeq() {
        return Math.min(next - 1, durableHeldAt);
    }

    /**
     * Continues numbering above the WMS's mark as the storage bundle does: held entries are renumbered, in
     * order, above it (the WMS would deduplicate them under their old seqs), ranges below it are forgotten.
     */
    @Override
    public synchronized void continueAbove(long wmsLastReceivedSeq) {
        wmsMark = wmsLastReceivedSeq;
        if (next > wmsLastReceivedSeq) {
            return;
        }
        long seq = wmsLastReceivedSeq + 1;
        for (int i = head; i < entries.size(); i++) {
            OutboxEntry e = entries.get(i);
            entries.set(i, new OutboxEntry(seq++, e.type(), e.createdAt(), e.json()));
        }
        next = seq;
        dropped.removeIf(r -> r.to() <= wmsLastReceivedSeq);
        lastAcked = wmsLastReceivedSeq;
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
