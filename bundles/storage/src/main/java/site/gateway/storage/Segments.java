package site.gateway.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The held messages, in one map per {@link #SEQS} consecutive seqs ({@code outbox.<n>} holds seqs
 * {@code n * SEQS + 1 .. (n + 1) * SEQS}), each with the dropped ranges among its seqs (negative keys, clipped to
 * the map's seqs).
 *
 * <p>Why many maps: an acknowledged message is not removed on its own. MVStore copies a leaf page and its path to
 * the root for every remove, after reading the leaf back from the file: a fifth of the gateway's CPU while it
 * drained a backlog. A map whose seqs are all acknowledged is removed whole once that acknowledgement is on disk,
 * which reads only its inner pages; until then its acknowledged messages stay, and every reader skips seqs at or
 * below the last acknowledgement. A drop writes its range record and removes the message in the same map, so that
 * every commit holds both or neither (MVStore commits maps one after the other, not as one snapshot).
 *
 * <p>Callers mutate under the store's lock. {@link #visit} runs without it (the sender reads while producers
 * append); whole maps are removed only while no visit runs.
 */
final class Segments {
    static final int SEQ_BITS = 14;
    static final long SEQS = 1L << SEQ_BITS;
    static final String PREFIX = OutboxStore.MAP_NAME + ".";

    /** Told each held message in seq order; returns false to stop. */
    interface Visitor {
        boolean visit(long seq, Stored value);
    }

    private final MVStore store;
    private final ConcurrentSkipListMap<Long, MVMap<Long, Stored>> maps = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock removal = new ReentrantReadWriteLock();
    /** Bytes of acknowledged messages still in their maps, by map: the file holds them until the map goes. */
    private final Map<Long, Long> lingering = new ConcurrentSkipListMap<>();
    private volatile long lingeringBytes;

    Segments(MVStore store) {
        this.store = store;
        for (String name : store.getMapNames()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()
                    && name.substring(PREFIX.length()).chars().allMatch(Character::isDigit)) {
                maps.put(Long.parseLong(name.substring(PREFIX.length())), store.openMap(name, MVStores.mapBuilder()));
            }
        }
    }

    static long index(long seq) {
        return (seq - 1) >> SEQ_BITS;
    }

    static long firstSeq(long index) {
        return (index << SEQ_BITS) + 1;
    }

    static long lastSeq(long index) {
        return (index + 1) << SEQ_BITS;
    }

    void put(long seq, Stored value) {
        long i = index(seq);
        MVMap<Long, Stored> map = maps.get(i);
        if (map == null) {
            map = store.openMap(PREFIX + i, MVStores.mapBuilder());
            maps.put(i, map);
        }
        map.put(seq, value);
    }

    Stored get(long seq) {
        MVMap<Long, Stored> map = maps.get(index(seq));
        return map == null ? null : map.get(seq);
    }

    boolean contains(long seq) {
        MVMap<Long, Stored> map = maps.get(index(seq));
        return map != null && map.containsKey(seq);
    }

    Stored remove(long seq) {
        MVMap<Long, Stored> map = maps.get(index(seq));
        return map == null ? null : map.remove(seq);
    }

    /** The lowest message seq at or above {@code seq} ({@code >= 1}), or -1. */
    long ceiling(long seq) {
        for (Map.Entry<Long, MVMap<Long, Stored>> e : maps.tailMap(index(seq), true).entrySet()) {
            Long k = e.getValue().ceilingKey(Math.max(seq, firstSeq(e.getKey())));
            if (k != null) {
                return k;
            }
        }
        return -1;
    }

    /** The highest message seq held (acknowledged ones still in their map included), or 0. */
    long lastKey() {
        for (MVMap<Long, Stored> map : maps.descendingMap().values()) {
            Long k = map.lastKey();
            if (k != null && k > 0) {
                return k;
            }
        }
        return 0;
    }

    /** How many messages have a seq at or above {@code seq} ({@code >= 1}): no page below the count's edge is read. */
    long countFrom(long seq) {
        long n = 0;
        for (MVMap<Long, Stored> map : maps.tailMap(index(seq), true).values()) {
            long at = map.getKeyIndex(seq); // range records (negative keys) sort below any seq
            n += map.sizeAsLong() - (at >= 0 ? at : -at - 1);
        }
        return n;
    }

    /** Visits the messages with seqs in {@code [from, to]}, ascending, on a snapshot of each map. */
    void visit(long from, long to, Visitor visitor) {
        if (from > to) {
            return;
        }
        removal.readLock().lock();
        try {
            for (Map.Entry<Long, MVMap<Long, Stored>> e : maps.subMap(index(from), true, index(to), true).entrySet()) {
                long i = e.getKey();
                Cursor<Long, Stored> c = e.getValue().cursor(Math.max(from, firstSeq(i)), Math.min(to, lastSeq(i)), false);
                while (c.hasNext()) {
                    long seq = c.next();
                    if (!visitor.visit(seq, c.getValue())) {
                        return;
                    }
                }
            }
        } finally {
            removal.readLock().unlock();
        }
    }

    /** Counts {@code bytes} of acknowledged messages as still in the map of {@code seq}. */
    void linger(long seq, long bytes) {
        if (bytes > 0) {
            lingering.merge(index(seq), bytes, Long::sum);
            lingeringBytes += bytes;
        }
    }

    long lingeringBytes() {
        return lingeringBytes;
    }

    /** True when a whole map holds only seqs at or below {@code seq}. */
    boolean hasWholeMapUpTo(long seq) {
        Long first = maps.isEmpty() ? null : maps.firstKey();
        return first != null && lastSeq(first) <= seq;
    }

    /** Removes every map whose seqs are all at or below {@code seq}, waiting for running visits. */
    void removeMapsUpTo(long seq) {
        if (!hasWholeMapUpTo(seq)) {
            return;
        }
        removal.writeLock().lock();
        try {
            while (hasWholeMapUpTo(seq)) {
                Map.Entry<Long, MVMap<Long, Stored>> first = maps.pollFirstEntry();
                store.removeMap(first.getValue());
                Long gone = lingering.remove(first.getKey());
                if (gone != null) {
                    lingeringBytes -= gone;
                }
            }
        } finally {
            removal.writeLock().unlock();
        }
    }

    /** Removes, one by one, the messages at or below {@code seq} in the map that also holds later seqs. */
    void removeMessagesUpTo(long seq) {
        removeMapsUpTo(seq);
        MVMap<Long, Stored> map = maps.get(index(seq));
        if (map == null) {
            return;
        }
        for (Long k = map.ceilingKey(1L); k != null && k <= seq; k = map.ceilingKey(k + 1)) {
            map.remove(k);
        }
        Long gone = lingering.remove(index(seq));
        if (gone != null) {
            lingeringBytes -= gone;
        }
    }

    /**
     * Records the dropped range {@code [from, to]} (which holds {@code seq}) in the map of {@code seq}, clipped to
     * that map's seqs, replacing the records it covers; then removes the message {@code seq} from the same map.
     */
    Stored dropMessage(long seq, long from, long to) {
        long i = index(seq);
        MVMap<Long, Stored> map = maps.get(i);
        if (map == null) {
            return null;
        }
        long clippedFrom = Math.max(from, firstSeq(i));
        long clippedTo = Math.min(to, lastSeq(i));
        for (Long k = map.ceilingKey(-clippedTo); k != null && k <= -clippedFrom; k = map.ceilingKey(k + 1)) {
            map.remove(k);
        }
        map.put(-clippedFrom, Stored.range(clippedTo));
        return map.remove(seq);
    }

    /** Tells every dropped range recorded among the maps' seqs, as {@code from -> to}. */
    void forEachRange(java.util.function.BiConsumer<Long, Long> consumer) {
        for (MVMap<Long, Stored> map : maps.values()) {
            Cursor<Long, Stored> c = map.cursor(Long.MIN_VALUE, -1L, false);
            while (c.hasNext()) {
                long k = c.next();
                consumer.accept(-k, c.getValue().stamp());
            }
        }
    }
}
