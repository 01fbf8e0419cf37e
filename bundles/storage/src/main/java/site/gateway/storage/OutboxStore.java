package site.gateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;

/**
 * The durable queue: one MVStore file, one map keyed by seq. Keys above 0 are messages, key 0 is the
 * meta record (counters and the seq reservation), negative keys are dropped ranges ({@code -from ->
 * to}). Keeping all of it in one map matters: a commit stores one root of that map, i.e. one
 * consistent point of the sequence of operations below, so a dropped range is always recorded before
 * (never after) the messages it covers disappear.
 *
 * <p>Mutations run under one lock; reads do not lock (MVMap cursors work on immutable snapshots).
 * Nothing per message is kept on the heap. Group commit and sync run in {@link Committer}.
 *
 * <p>Over 300 lines on purpose: every mutation, its counters and its recovery after a crash must agree on one
 * map under one lock, and zero loss is easier to check when opening, recovery, append, drop and acknowledge
 * read side by side. Record encoding, the reservation file and file housekeeping are separate classes.
 */
public final class OutboxStore implements AutoCloseable {
    public static final String FILE_NAME = "outbox.mv.db";
    static final String MAP_NAME = "outbox";
    static final long META_KEY = 0L;
    /**
     * The fewest seqs reserved per write of the reservation file, ahead of the durable ones. The reservation is
     * only a floor for a store that has to be set aside as corrupt; a healthy store recovers from what it
     * committed. Appends never wait for it: the commit cycle extends it before it makes a seq durable.
     */
    static final long RESERVE_BLOCK = 100_000;
    /** The most seqs reserved ahead: a busy store reserves about {@link #RESERVE_AHEAD_NANOS} of appends ahead. */
    static final long RESERVE_MAX = 50_000_000;
    static final long RESERVE_AHEAD_NANOS = 2_000_000_000L;
    /**
     * An acknowledge of at most this many seqs removes them by key; a wider one walks a cursor, so that a
     * span of seqs dropped long ago costs no lookup per seq.
     */
    static final long REMOVE_BY_KEY_MAX = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxStore.class);
    private static final VarHandle NEXT_SEQ;

    static {
        try {
            NEXT_SEQ = MethodHandles.lookup().findVarHandle(OutboxStore.class, "nextSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What happened when the store was opened, for the caller to alert about. */
    public record OpenReport(Path corruptMovedTo, String corruptReason, SeqRange lostRange) {
    }

    private final Path directory;
    private final MVStore store;
    private final MVMap<Long, Stored> map;
    private final ReservationFile reservationFile;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Long, Long> dropped = new TreeMap<>();
    private final Committer committer;
    private final OpenReport openReport;
    private final FileKeeper fileKeeper;
    /** Keys collected by {@link #removeMessagesUpTo} before removing them; reused, guarded by lock. */
    private final long[] removalKeys = new long[1024];

    private volatile Limits limits;
    /**
     * Written under the lock; read without it only by {@link #nextSeq()}, with acquire semantics. An append
     * publishes it with a release store, not a volatile one: no full fence per append.
     */
    private long nextSeq;
    private volatile long lastAcked;
    private volatile boolean closed;
    // guarded by lock
    /** The highest seq the reservation file is known to hold; raised after each write, by a cycle without the lock. */
    private final AtomicLong reservedOnDisk = new AtomicLong();
    private long reservingUpTo;
    private long reserveAhead = RESERVE_BLOCK;
    private long reservedAt;
    private long reservedAtSeq;
    private long messages;
    private long bytes;
    private long droppedTotal;
    private long rejectedTotal;
    private long dropScanFrom = 1;
    private long modCount;
    private long metaWrittenAt = -1;
    /** modCount at the last successful commit + sync; written by commit cycles without the lock. */
    private final AtomicLong syncedModCount = new AtomicLong(-1);
    private final AtomicLong syncCount = new AtomicLong();

    private OutboxStore(Path directory, MVStore store, Limits limits, LongSupplier clock, OpenReport report,
            long sideReserved, boolean fresh, LongConsumer onDurable) {
        this.directory = directory;
        this.store = store;
        this.limits = limits;
        this.clock = clock;
        this.reservationFile = new ReservationFile(directory);
        this.map = store.openMap(MAP_NAME, MVStores.mapBuilder());
        this.fileKeeper = new FileKeeper(store);
        SeqRange lost = fresh ? startFresh(sideReserved) : recover(sideReserved);
        this.openReport = report == null && lost == null ? null
                : new OpenReport(report == null ? null : report.corruptMovedTo(),
                        report == null ? null : report.corruptReason(), lost);
        reserveNow(nextSeq); // also commits and syncs what recovery did: everything held is durable now
        this.committer = new Committer(this, directory.getFileName().toString(), nextSeq - 1, onDurable);
        committer.start();
    }

    /**
     * Opens (or creates) the store in {@code directory}. A file that is corrupt (format or checksum
     * failure, see {@link OpenFailure}) is moved aside as {@code outbox.mv.db.corrupt-<ts>} and a fresh
     * store is started above every seq that may have been used, as recorded by the reservation side
     * file. Any other failure (locked by another process, I/O error, full disk) leaves every file as it
     * is and throws {@link StoreUnavailableException}, to be retried.
     */
    public static OutboxStore open(Path directory, Limits limits, LongSupplier clock) throws IOException {
        return open(directory, limits, clock, null);
    }

    /**
     * Opens the store; {@code onDurable} (may be null) hears, on the committer thread, every advance of
     * {@link #durableSeq()}.
     */
    public static OutboxStore open(Path directory, Limits limits, LongSupplier clock, LongConsumer onDurable)
            throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw unavailable(directory, e);
        }
        Path file = directory.resolve(FILE_NAME);
        long sideReserved = new ReservationFile(directory).read();
        boolean existed = Files.exists(file);
        MVStore store = null;
        try {
            store = MVStores.open(file, limits);
            return new OutboxStore(directory, store, limits, clock, null, sideReserved, !existed, onDurable);
        } catch (RuntimeException | Error e) {
            MVStores.closeQuietly(store);
            if (!existed || !OpenFailure.isCorruption(e)) {
                throw unavailable(directory, e);
            }
            return setAsideAndStartFresh(directory, file, limits, clock, onDurable, sideReserved, e);
        }
    }

    private static StoreUnavailableException unavailable(Path directory, Throwable e) {
        return new StoreUnavailableException(OpenFailure.describe(directory, e), e, OpenFailure.isLocked(e));
    }

    private static OutboxStore setAsideAndStartFresh(Path directory, Path file, Limits limits, LongSupplier clock,
            LongConsumer onDurable, long sideReserved, Throwable why) throws IOException {
        Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + clock.getAsLong());
        Files.move(file, aside);
        ReservationFile.syncDirectory(directory);
        LOG.error("Buffer file {} is corrupt ({}); moved to {} and starting a fresh buffer after seq {}",
                file, why, aside, sideReserved);
        MVStore fresh = null;
        try {
            fresh = MVStores.open(file, limits);
            return new OutboxStore(directory, fresh, limits, clock, new OpenReport(aside, why.toString(), null),
                    sideReserved, true, onDurable);
        } catch (RuntimeException | Error e2) {
            MVStores.closeQuietly(fresh);
            throw unavailable(directory, e2);
        }
    }

    // ---- opening -------------------------------------------------------------------------------

    private SeqRange startFresh(long sideReserved) {
        lastAcked = 0;
        nextSeq = sideReserved + 1;
        reservedOnDisk.set(sideReserved);
        reservingUpTo = sideReserved;
        if (sideReserved >= 1) {
            SeqRange lost = new SeqRange(1, sideReserved);
            recordDropped(lost.from(), lost.to());
            return lost;
        }
        return null;
    }

    /** Rebuilds the counters from the last committed state; see the class comment for why this is exact enough. */
    private SeqRange recover(long sideReserved) {
        Stored metaValue = map.get(META_KEY);
        Meta meta = Meta.decode(metaValue == null ? null : metaValue.body());
        lastAcked = meta.lastAcked();
        droppedTotal = meta.droppedTotal();
        rejectedTotal = meta.rejectedTotal();
        Cursor<Long, Stored> ranges = map.cursor(Long.MIN_VALUE, -1L, false);
        while (ranges.hasNext()) {
            long key = ranges.next();
            dropped.put(-key, ranges.getValue().stamp());
        }
        // Work that a crash may have cut short: messages acknowledged or dropped but still present.
        removeMessagesUpTo(lastAcked);
        forgetRangesUpTo(lastAcked);
        for (Map.Entry<Long, Long> r : dropped.entrySet()) {
            for (Long k = map.ceilingKey(r.getKey()); k != null && k <= r.getValue(); k = map.ceilingKey(k + 1)) {
                map.remove(k);
            }
        }
        long bytesCounted = meta.bytes();
        Long last = map.lastKey();
        long lastKey = last == null ? 0 : Math.max(0, last);
        for (Long k = map.ceilingKey(Math.max(1, meta.appendedUpTo() + 1)); k != null; k = map.higherKey(k)) {
            bytesCounted += Records.accounted(map.get(k));
        }
        messages = map.sizeAsLong() - dropped.size() - (map.containsKey(META_KEY) ? 1 : 0);
        bytes = messages == 0 ? 0 : Math.max(0, bytesCounted);
        long maxRangeTo = dropped.isEmpty() ? 0 : dropped.lastEntry().getValue();
        // Every seq ever sent was durable, so it is covered by the last commit: the meta record written
        // by each commit cycle carries appendedUpTo >= every seq that cycle made durable. Seqs above
        // maxKnown were handed out but never committed, so never sent: they may be given again, and
        // nothing is announced as dropped. The reservation file is not needed here (only as a floor
        // for a store set aside as corrupt).
        long maxKnown = Math.max(Math.max(lastKey, lastAcked), Math.max(maxRangeTo, meta.appendedUpTo()));
        if (meta.reservedUpTo() > maxKnown) {
            LOG.info("Buffer {} was not closed cleanly; continuing at seq {} after the last committed message",
                    directory, maxKnown + 1);
        }
        nextSeq = maxKnown + 1;
        reservedOnDisk.set(sideReserved);
        reservingUpTo = Math.max(nextSeq - 1, sideReserved);
        return null;
    }

    // ---- operations ----------------------------------------------------------------------------

    /** Result of an append: the seq and what had to be dropped to make room (null if nothing). */
    public record Appended(long seq, List<SeqRange> dropped) {
    }

    /**
     * Appends and returns the seq; does not wait for the disk unless syncIntervalMs is 0.
     *
     * @throws OutboxFullException when full under reject-new
     */
    public Appended append(MessageType type, byte[] json) throws OutboxFullException {
        requireJsonObject(json);
        Stored record = Records.encode(type, clock.getAsLong(), json);
        long size = Records.accounted(record);
        long seq;
        List<SeqRange> drops = null;
        lock.lock();
        try {
            checkOpen();
            Limits l = limits;
            if (l.whenFull() == FullPolicy.REJECT_NEW) {
                long cap = l.maxBytes() + (type.keptLonger() ? l.keptHeadroom() : 0);
                if (bytes + size > cap) {
                    rejectedTotal++;
                    modCount++;
                    throw new OutboxFullException("buffer full: " + bytes + " of " + l.maxBytes()
                            + " bytes used, policy reject-new");
                }
            }
            seq = nextSeq;
            // No reservation here: a seq is sent only once durable, and the commit cycle that makes it
            // durable first extends the reservation file past it (commitCycle).
            map.put(seq, record);
            NEXT_SEQ.setRelease(this, seq + 1);
            messages++;
            bytes += size;
            modCount++;
            if (bytes > l.maxBytes() && l.whenFull() == FullPolicy.DROP_OLDEST) {
                drops = dropOldest(l.maxBytes());
            }
        } finally {
            lock.unlock();
        }
        if (limits.syncIntervalMs() == 0) {
            committer.awaitSynced(seq);
        } else {
            committer.signal();
        }
        return new Appended(seq, drops);
    }

    /** Up to {@code maxItems} entries with {@code seq >= fromSeq}, ascending. */
    public List<OutboxEntry> read(long fromSeq, int maxItems) {
        checkOpen();
        List<OutboxEntry> out = new ArrayList<>(Math.min(Math.max(maxItems, 0), 1024));
        if (maxItems <= 0) {
            return out;
        }
        Cursor<Long, Stored> c = map.cursor(Math.max(1L, fromSeq));
        while (out.size() < maxItems && c.hasNext()) {
            long k = c.next();
            out.add(Records.entry(k, c.getValue()));
        }
        return out;
    }

    public void acknowledge(long upTo) {
        lock.lock();
        try {
            checkOpen();
            long limit = Math.min(upTo, nextSeq - 1);
            if (limit <= lastAcked) {
                return;
            }
            removeAcknowledged(lastAcked + 1, limit);
            forgetRangesUpTo(limit);
            lastAcked = limit;
            modCount++;
        } finally {
            lock.unlock();
        }
        // No commit of its own: the next append's commit or the committer's idle cycle (within a second)
        // makes it durable. An acknowledgement lost in a crash costs at most a resend, which the WMS
        // deduplicates by seq (protocol §3.3), and its `welcome` mark drops them anyway (§3.1); a commit and
        // fsync per acknowledgement doubled the buffer's work at low rates (issue 16.1).
    }

    /** What {@link #continueAbove} did: the WMS's mark, the seq numbering continued at before, messages renumbered. */
    public record Raised(long wmsLastReceivedSeq, long previousNextSeq, long nextSeq, long renumbered) {
    }

    /**
     * The WMS holds every seq up to {@code wmsLastReceivedSeq} although this store numbers below it
     * (lost data folder, restored backup). The WMS would take every message still held here for a
     * duplicate of one it has, so they are renumbered, in order, above its mark; numbering continues
     * after them, every dropped range below the mark is forgotten and the mark counts as acknowledged.
     * Committed and synced before returning. Returns null (and changes nothing) when {@code
     * nextSeq() > wmsLastReceivedSeq}.
     */
    public Raised continueAbove(long wmsLastReceivedSeq) {
        Raised raised;
        lock.lock();
        try {
            checkOpen();
            if (nextSeq > wmsLastReceivedSeq) {
                return null;
            }
            long previousNext = nextSeq;
            long next = wmsLastReceivedSeq + 1;
            // Copies first, then the old keys go: a commit in between (MVStore's background thread)
            // can at worst leave a message twice, once below the mark, where the WMS drops it.
            long moved = 0;
            long movedBytes = 0;
            Cursor<Long, Stored> c = map.cursor(1L, previousNext - 1, false);
            while (c.hasNext()) {
                c.next();
                Stored v = c.getValue();
                map.put(next++, v);
                moved++;
                movedBytes += Records.accounted(v);
            }
            messages += moved;
            bytes += movedBytes;
            NEXT_SEQ.setRelease(this, next);
            reservingUpTo = Math.max(reservingUpTo, next - 1 + RESERVE_BLOCK);
            removeMessagesUpTo(wmsLastReceivedSeq);
            forgetRangesUpTo(wmsLastReceivedSeq);
            lastAcked = wmsLastReceivedSeq;
            dropScanFrom = wmsLastReceivedSeq + 1;
            modCount++;
            writeMeta();
            store.commit();
            store.sync();
            writeReservationFile(reservingUpTo);
            reservedOnDisk.accumulateAndGet(reservingUpTo, Math::max);
            raised = new Raised(wmsLastReceivedSeq, previousNext, nextSeq, moved);
        } finally {
            lock.unlock();
        }
        LOG.warn("The WMS already holds seqs up to {} while this buffer numbered from {}: {} held messages renumbered"
                + " above it, next seq {}", wmsLastReceivedSeq, raised.previousNextSeq(), raised.renumbered(),
                raised.nextSeq());
        committer.cycleNow(); // announces the new durable seq
        return raised;
    }

    /** Applies new limits at once; a lower {@code maxBytes} under drop-oldest drops immediately. */
    public List<SeqRange> setLimits(Limits newLimits) {
        lock.lock();
        try {
            checkOpen();
            limits = newLimits;
            List<SeqRange> drops = null;
            if (bytes > newLimits.maxBytes() && newLimits.whenFull() == FullPolicy.DROP_OLDEST) {
                drops = dropOldest(newLimits.maxBytes());
            }
            committer.wake();
            return drops;
        } finally {
            lock.unlock();
        }
    }

    public Limits limits() {
        return limits;
    }

    public long lastAckedSeq() {
        return lastAcked;
    }

    public long nextSeq() {
        return (long) NEXT_SEQ.getAcquire(this);
    }

    /** True if the message with this seq is still held (neither acknowledged nor dropped). */
    public boolean holds(long seq) {
        return seq >= 1 && map.containsKey(seq);
    }

    /** Highest seq such that every message up to it is committed and synced: only these may be sent. */
    public long durableSeq() {
        return committer.syncedUpTo();
    }

    public List<SeqRange> droppedRanges() {
        lock.lock();
        try {
            List<SeqRange> out = new ArrayList<>(dropped.size());
            dropped.forEach((from, to) -> out.add(new SeqRange(from, to)));
            return out;
        } finally {
            lock.unlock();
        }
    }

    public OutboxStats stats() {
        lock.lock();
        try {
            checkOpen();
            long oldest = 0;
            Long first = map.ceilingKey(1L);
            if (first != null) {
                oldest = Records.createdAt(map.get(first));
            }
            return new OutboxStats(messages, bytes, oldest, droppedTotal, rejectedTotal);
        } finally {
            lock.unlock();
        }
    }

    /** Highest seq whose message has been committed to the file (survives a process crash). */
    public long committedUpTo() {
        return committer.committedUpTo();
    }

    /** Highest seq whose message has been synced to the device (survives a power cut). */
    public long syncedUpTo() {
        return committer.syncedUpTo();
    }

    /**
     * The drop ledger, checked under the lock (tests): every seq above the last ack and below
     * {@code nextSeq} is either held or inside exactly one dropped range, never both.
     *
     * @throws IllegalStateException describing the first seq that is neither or both
     */
    void checkLedger() {
        lock.lock();
        try {
            long expect = lastAcked + 1;
            Cursor<Long, Stored> c = map.cursor(expect);
            Map.Entry<Long, Long> range = dropped.ceilingEntry(expect);
            if (!dropped.isEmpty() && dropped.firstKey() <= lastAcked) {
                throw new IllegalStateException("dropped range starting at " + dropped.firstKey()
                        + " at or below the last ack " + lastAcked);
            }
            while (expect < nextSeq) {
                if (range != null && range.getKey() == expect) {
                    expect = range.getValue() + 1;
                    range = dropped.higherEntry(range.getKey());
                    continue;
                }
                if (!c.hasNext()) {
                    break;
                }
                long k = c.next();
                if (k != expect) {
                    throw new IllegalStateException("seq " + expect + " is neither held nor dropped (next held " + k
                            + ", last ack " + lastAcked + ", next seq " + nextSeq + ", ranges " + dropped + ")");
                }
                expect++;
            }
            if (expect < nextSeq) {
                throw new IllegalStateException("seqs " + expect + ".." + (nextSeq - 1) + " are neither held nor dropped");
            }
            if (c.hasNext() || range != null) {
                throw new IllegalStateException("held or dropped beyond next seq " + nextSeq);
            }
        } finally {
            lock.unlock();
        }
    }

    /** True while a change (append, acknowledgement, drop) has not reached the device yet. */
    boolean hasUnsyncedChanges() {
        lock.lock();
        try {
            return modCount != syncedModCount.get();
        } finally {
            lock.unlock();
        }
    }

    /** How many commit cycles reached the device (fsync); idle cycles do not count. */
    long syncCount() {
        return syncCount.get();
    }

    /** Commits and syncs everything appended so far, now. */
    public void flush() {
        committer.cycleNow();
    }

    public Path directory() {
        return directory;
    }

    public long fileSize() {
        return store.getFileStore().size();
    }

    /** What opening found (corrupt file moved aside, seqs lost in a crash), or null if all was clean. */
    public OpenReport openReport() {
        return openReport;
    }

    /** Stops the committer, stores everything, releases the unused seq reservation and closes the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        committer.stop();
        long released;
        lock.lock();
        try {
            closed = true;
            released = nextSeq - 1;
            reservingUpTo = released;
            writeMeta();
        } finally {
            lock.unlock();
        }
        fileKeeper.release();
        store.close();
        try {
            reservationFile.release(released);
        } catch (IOException e) {
            LOG.warn("Could not lower the seq reservation in {}: {}", reservationFile.path(), e.toString());
        }
    }

    // ---- group commit (called by Committer) ------------------------------------------------------

    /**
     * One commit cycle: meta, commit, sync, and the reservation file extended past every seq this cycle makes
     * durable. Returns the seq covered: the caller announces it as durable, so the reservation is on the device
     * before any seq up to it can be sent (a store file set aside as corrupt restarts above the reservation).
     */
    long commitCycle() {
        long upTo;
        long reserveTarget = 0;
        long cycleModCount;
        lock.lock();
        try {
            if (closed) {
                return -1;
            }
            upTo = nextSeq - 1;
            if (reservedOnDisk.get() - upTo < reserveAhead / 2) {
                reserveTarget = extendReservation(upTo);
            }
            cycleModCount = modCount;
            if (cycleModCount == syncedModCount.get() && reserveTarget == 0) {
                return upTo; // nothing changed since the last sync: no commit, no fsync while idle
            }
            if (metaWrittenAt != modCount || reserveTarget != 0) {
                writeMeta();
            }
        } finally {
            lock.unlock();
        }
        store.commit();
        store.sync();
        fileKeeper.synced();
        syncedModCount.accumulateAndGet(cycleModCount, Math::max); // modCount only grows: a slower concurrent cycle cannot lower it
        syncCount.incrementAndGet();
        if (reserveTarget != 0) {
            // Synchronized and monotonic: a concurrent cycle (flush) that extended first is waited for.
            writeReservationFile(reserveTarget);
            reservedOnDisk.accumulateAndGet(reserveTarget, Math::max);
        }
        fileKeeper.maybeCompact(bytes);
        return upTo;
    }

    /**
     * The next reservation target (lock held): about {@link #RESERVE_AHEAD_NANOS} of appends at the rate seen since
     * the last extension, at least {@link #RESERVE_BLOCK} and at most {@link #RESERVE_MAX} seqs beyond {@code upTo},
     * so that a busy store rewrites the reservation file about once a second rather than every 50,000 messages.
     */
    private long extendReservation(long upTo) {
        long now = System.nanoTime();
        if (reservedAt != 0 && now > reservedAt) {
            double perInterval = (double) (upTo - reservedAtSeq) * RESERVE_AHEAD_NANOS / (now - reservedAt);
            reserveAhead = (long) Math.min(RESERVE_MAX, Math.max(RESERVE_BLOCK, perInterval));
        }
        reservedAt = now;
        reservedAtSeq = upTo;
        reservingUpTo = Math.max(reservingUpTo, upTo + reserveAhead);
        return reservingUpTo;
    }

    /** Gives up a store whose MVStore failed (or, in tests, stops as a killed process would). */
    void abandon() {
        committer.stop();
        closed = true;
        store.closeImmediately();
    }

    boolean isClosed() {
        return closed;
    }

    /** True when MVStore closed itself underneath (it does so on I/O errors and corruption). */
    boolean isBroken() {
        return !closed && store.isClosed();
    }

    MVStore mvStore() {
        return store;
    }

    // ---- internals (lock held) -------------------------------------------------------------------

    private void reserveNow(long seq) {
        reservingUpTo = Math.max(reservingUpTo, seq + RESERVE_BLOCK - 1);
        writeMeta();
        store.commit();
        store.sync();
        writeReservationFile(reservingUpTo);
        reservedOnDisk.accumulateAndGet(reservingUpTo, Math::max);
    }

    private void writeReservationFile(long upTo) {
        try {
            reservationFile.raise(upTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write seq reservation " + reservationFile.path(), e);
        }
    }

    private void writeMeta() {
        map.put(META_KEY, Stored.meta(new Meta(reservingUpTo, lastAcked, nextSeq - 1, bytes, droppedTotal,
                rejectedTotal).encode()));
        metaWrittenAt = modCount;
    }

    /**
     * Removes the messages {@code from..limit}; none below {@code from} is held (every acknowledge, recovery and
     * {@link #continueAbove} removed them). An acknowledge covers one or a few frames of consecutive seqs, so they
     * are removed by key, each remove giving the bytes it frees, without a cursor walk first.
     */
    private void removeAcknowledged(long from, long limit) {
        if (limit - from >= REMOVE_BY_KEY_MAX) {
            removeMessagesUpTo(limit);
            return;
        }
        long removedBytes = 0;
        long removed = 0;
        for (long k = from; k <= limit; k++) {
            Stored old = map.remove(k);
            if (old != null) {
                removed++;
                removedBytes += Records.accounted(old);
            }
        }
        countRemoved(removed, removedBytes);
    }

    private void removeMessagesUpTo(long limit) {
        long removedBytes = 0;
        long removed = 0;
        // Walk a snapshot in chunks, then remove: a cursor never sees its own removals.
        long[] keys = removalKeys;
        long from = 1;
        while (true) {
            int n = 0;
            Cursor<Long, Stored> c = map.cursor(from, limit, false);
            while (n < keys.length && c.hasNext()) {
                keys[n++] = c.next();
                removedBytes += Records.accounted(c.getValue());
            }
            for (int i = 0; i < n; i++) {
                map.remove(keys[i]);
            }
            removed += n;
            if (n < keys.length) {
                break;
            }
            from = keys[n - 1] + 1;
        }
        countRemoved(removed, removedBytes);
    }

    private void countRemoved(long removed, long removedBytes) {
        messages = Math.max(0, messages - removed);
        bytes = messages == 0 ? 0 : Math.max(0, bytes - removedBytes);
    }

    private void forgetRangesUpTo(long limit) {
        while (!dropped.isEmpty() && dropped.firstKey() <= limit) {
            Map.Entry<Long, Long> r = dropped.pollFirstEntry();
            map.remove(-r.getKey());
            if (r.getValue() > limit) {
                dropped.put(limit + 1, r.getValue());
                map.put(-(limit + 1), Stored.range(r.getValue()));
            }
        }
    }

    /** Drops oldest telemetry, then oldest others, until at most {@code target} bytes are stored. */
    private List<SeqRange> dropOldest(long target) {
        List<SeqRange> out = new ArrayList<>();
        while (bytes > target && messages > 0) {
            long victim = findVictim();
            if (victim < 1) {
                break;
            }
            recordDropped(victim, victim);
            Stored old = map.remove(victim);
            if (old != null) {
                bytes -= Records.accounted(old);
                messages--;
            }
            droppedTotal++;
            modCount++;
            addMerged(out, victim);
        }
        if (messages == 0) {
            bytes = 0;
        }
        return out;
    }

    /** Oldest telemetry seq; if none is left, the oldest message of any type. */
    private long findVictim() {
        Cursor<Long, Stored> c = map.cursor(Math.max(1L, dropScanFrom));
        while (c.hasNext()) {
            long k = c.next();
            if (Records.type(c.getValue()) == MessageType.TELEMETRY) {
                dropScanFrom = k + 1;
                return k;
            }
        }
        // Everything buffered is kept-longer: remember that, and drop the oldest of those.
        dropScanFrom = nextSeq;
        Long first = map.ceilingKey(1L);
        return first == null ? -1 : first;
    }

    /** Records {@code [from, to]} as dropped in memory and in the map, merging with neighbours. */
    private void recordDropped(long from, long to) {
        long f = SeqRanges.add(dropped, from, to, start -> map.remove(-start));
        map.put(-f, Stored.range(dropped.get(f)));
    }

    private static void addMerged(List<SeqRange> out, long seq) {
        int last = out.size() - 1;
        if (last >= 0 && out.get(last).to() == seq - 1) {
            out.set(last, new SeqRange(out.get(last).from(), seq));
        } else {
            out.add(new SeqRange(seq, seq));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("buffer " + directory + " is closed");
        }
    }

    private static void requireJsonObject(byte[] json) {
        if (json == null || json.length < 2 || json[0] != '{' || json[json.length - 1] != '}') {
            throw new IllegalArgumentException("a durable message must be a JSON object without surrounding space");
        }
    }
}
