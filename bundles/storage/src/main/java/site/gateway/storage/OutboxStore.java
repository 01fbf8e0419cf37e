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
 * The durable queue: one MVStore file. The queue map holds the meta record (key 0: counters, the last
 * acknowledgement, the seq reservation) and the ranges lost when a store was set aside (negative keys, {@code -from
 * -> to}); the messages and the ranges dropped among them live in {@link Segments}, one map per 16,384 seqs, so
 * that acknowledged messages leave a whole map at a time. MVStore commits one map after the other, so what must
 * change together is kept in one map: a drop's range record and the dropped message share a segment; an
 * acknowledgement only moves the meta record, and the maps it covers are removed after a commit has that
 * acknowledgement on disk.
 *
 * <p>Mutations run under one lock; reads do not lock (MVMap cursors work on immutable snapshots).
 * Nothing per message is kept on the heap. Group commit and sync run in {@link Committer}.
 *
 * <p>Over 300 lines on purpose: every mutation, its counters and its recovery after a crash must agree on the
 * maps under one lock, and zero loss is easier to check when opening, recovery, append, drop and acknowledge
 * read side by side. Record encoding, the maps of messages, the reservation file and file housekeeping are
 * separate classes.
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
    private final Segments segments;
    private final ReservationFile reservationFile;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Long, Long> dropped = new TreeMap<>();
    private final Committer committer;
    private final OpenReport openReport;
    private final FileKeeper fileKeeper;

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
    /** The last acknowledgement in the meta record written last: maps up to it go once it is committed. */
    private long metaAcked;
    /** The last acknowledgement a synced commit holds; raised by commit cycles after their sync. */
    private final AtomicLong ackedSynced = new AtomicLong();
    /** True while the queue map may hold a lost range: only then does an acknowledgement look there. */
    private boolean lostRangesInQueueMap;
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
        this.segments = new Segments(store);
        moveMessagesOutOfQueueMap();
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
            recordLost(lost.from(), lost.to());
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
            SeqRanges.add(dropped, -key, ranges.getValue().stamp(), start -> { });
            lostRangesInQueueMap = true;
        }
        segments.forEachRange((from, to) -> SeqRanges.add(dropped, from, to, start -> { }));
        forgetRangesUpTo(lastAcked);
        // Acknowledged messages still in a map that also holds later seqs, and work a crash may have cut short:
        // maps acknowledged but not removed yet, messages dropped by a store of the previous format but present.
        segments.removeMessagesUpTo(lastAcked);
        for (Map.Entry<Long, Long> r : dropped.entrySet()) {
            for (long k = segments.ceiling(r.getKey()); k > 0 && k <= r.getValue(); k = segments.ceiling(k + 1)) {
                segments.remove(k);
            }
        }
        long[] bytesCounted = {meta.bytes()};
        long lastKey = segments.lastKey();
        segments.visit(Math.max(1, meta.appendedUpTo() + 1), Long.MAX_VALUE, (seq, value) -> {
            bytesCounted[0] += Records.accounted(value);
            return true;
        });
        messages = segments.countFrom(lastAcked + 1);
        bytes = messages == 0 ? 0 : Math.max(0, bytesCounted[0]);
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

    /**
     * A store written before {@link Segments} (meta format 1) holds its messages in the queue map: they move to
     * their segments once, copies committed before any original goes (a crash in between leaves both, and the
     * next opening moves them again).
     */
    private void moveMessagesOutOfQueueMap() {
        if (map.ceilingKey(1L) == null) {
            return;
        }
        long moved = 0;
        Cursor<Long, Stored> c = map.cursor(1L);
        while (c.hasNext()) {
            long seq = c.next();
            segments.put(seq, c.getValue());
            moved++;
        }
        store.commit();
        for (Long k = map.ceilingKey(1L); k != null; k = map.ceilingKey(k + 1)) {
            map.remove(k);
        }
        store.commit();
        LOG.info("Buffer {}: {} messages moved from the previous format's single map to their segments", directory,
                moved);
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
            segments.put(seq, record);
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
        segments.visit(Math.max(fromSeq, lastAcked + 1), Long.MAX_VALUE, (seq, value) -> {
            out.add(Records.entry(seq, value));
            return out.size() < maxItems;
        });
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
            countAcknowledged(lastAcked + 1, limit);
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
            // Copies first; the old keys go after the commit that has the mark as acknowledged. A commit in
            // between (MVStore's background thread) can at worst leave a message twice, once below the mark,
            // where the WMS drops it. Each copy replaces its original: the counts do not change.
            long[] renumbered = {next, 0};
            segments.visit(lastAcked + 1, previousNext - 1, (seq, value) -> {
                segments.put(renumbered[0]++, value);
                renumbered[1]++;
                return true;
            });
            next = renumbered[0];
            long moved = renumbered[1];
            NEXT_SEQ.setRelease(this, next);
            reservingUpTo = Math.max(reservingUpTo, next - 1 + RESERVE_BLOCK);
            forgetRangesUpTo(wmsLastReceivedSeq);
            lastAcked = wmsLastReceivedSeq;
            dropScanFrom = wmsLastReceivedSeq + 1;
            modCount++;
            writeMeta();
            store.commit();
            store.sync();
            writeReservationFile(reservingUpTo);
            reservedOnDisk.accumulateAndGet(reservingUpTo, Math::max);
            segments.removeMessagesUpTo(wmsLastReceivedSeq);
            modCount++;
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
        return seq > lastAcked && segments.contains(seq);
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
            long first = segments.ceiling(lastAcked + 1);
            if (first > 0) {
                oldest = Records.createdAt(segments.get(first));
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
            List<Long> held = new ArrayList<>();
            segments.visit(expect, Long.MAX_VALUE, (seq, value) -> held.add(seq));
            java.util.Iterator<Long> c = held.iterator();
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
        long ackedOnDisk;
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
                removeAcknowledgedMaps(ackedSynced.get()); // a concurrent cycle may have synced it and not removed yet
                return upTo; // nothing changed since the last sync: no commit, no fsync while idle
            }
            if (metaWrittenAt != modCount || reserveTarget != 0) {
                writeMeta();
            }
            ackedOnDisk = metaAcked;
        } finally {
            lock.unlock();
        }
        store.commit();
        store.sync();
        fileKeeper.synced();
        ackedSynced.accumulateAndGet(ackedOnDisk, Math::max);
        syncedModCount.accumulateAndGet(cycleModCount, Math::max); // modCount only grows: a slower concurrent cycle cannot lower it
        syncCount.incrementAndGet();
        if (reserveTarget != 0) {
            // Synchronized and monotonic: a concurrent cycle (flush) that extended first is waited for.
            writeReservationFile(reserveTarget);
            reservedOnDisk.accumulateAndGet(reserveTarget, Math::max);
        }
        removeAcknowledgedMaps(ackedSynced.get());
        fileKeeper.maybeCompact(bytes + segments.lingeringBytes());
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
        metaAcked = lastAcked;
    }

    /**
     * Counts the messages {@code from..limit} out of the held ones. They stay in their maps (see {@link Segments}):
     * their bytes are counted as lingering there until the map is removed.
     */
    private void countAcknowledged(long from, long limit) {
        long removed = 0;
        long removedBytes = 0;
        for (long i = Segments.index(from); i <= Segments.index(limit); i++) {
            long[] counted = new long[2];
            segments.visit(Math.max(from, Segments.firstSeq(i)), Math.min(limit, Segments.lastSeq(i)), (seq, value) -> {
                counted[0]++;
                counted[1] += Records.accounted(value);
                return true;
            });
            segments.linger(Segments.firstSeq(i), counted[1]);
            removed += counted[0];
            removedBytes += counted[1];
        }
        countRemoved(removed, removedBytes);
    }

    /** After a commit that has {@code ackedOnDisk} as the last acknowledgement: the maps it covers go whole. */
    private void removeAcknowledgedMaps(long ackedOnDisk) {
        if (!segments.hasWholeMapUpTo(ackedOnDisk)) {
            return;
        }
        lock.lock();
        try {
            if (!closed) {
                segments.removeMapsUpTo(ackedOnDisk);
                modCount++; // the removal reaches the file with the next cycle
            }
        } finally {
            lock.unlock();
        }
    }

    private void countRemoved(long removed, long removedBytes) {
        messages = Math.max(0, messages - removed);
        bytes = messages == 0 ? 0 : Math.max(0, bytes - removedBytes);
    }

    /**
     * Forgets the dropped seqs up to {@code limit} (acknowledged). Records among messages go with their maps; a lost
     * range in the queue map goes once wholly acknowledged (recovery clips one that is not at the last ack).
     */
    private void forgetRangesUpTo(long limit) {
        while (!dropped.isEmpty() && dropped.firstKey() <= limit) {
            Map.Entry<Long, Long> r = dropped.pollFirstEntry();
            if (r.getValue() > limit) {
                dropped.put(limit + 1, r.getValue());
            }
        }
        if (!lostRangesInQueueMap) {
            return; // the usual case: no cursor over the queue map per acknowledgement
        }
        List<Long> acknowledged = new ArrayList<>();
        Cursor<Long, Stored> lost = map.cursor(Long.MIN_VALUE, -1L, false);
        boolean left = false;
        while (lost.hasNext()) {
            long key = lost.next();
            if (-key <= limit && lost.getValue().stamp() <= limit) {
                acknowledged.add(key);
            } else {
                left = true;
            }
        }
        acknowledged.forEach(map::remove);
        lostRangesInQueueMap = left;
    }

    /** Drops oldest telemetry, then oldest others, until at most {@code target} bytes are stored. */
    private List<SeqRange> dropOldest(long target) {
        List<SeqRange> out = new ArrayList<>();
        while (bytes > target && messages > 0) {
            long victim = findVictim();
            if (victim < 1) {
                break;
            }
            long from = SeqRanges.add(dropped, victim, victim, start -> { });
            Stored old = segments.dropMessage(victim, from, dropped.get(from));
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
        long[] telemetry = {-1};
        segments.visit(Math.max(dropScanFrom, lastAcked + 1), Long.MAX_VALUE, (seq, value) -> {
            if (Records.type(value) == MessageType.TELEMETRY) {
                telemetry[0] = seq;
                return false;
            }
            return true;
        });
        if (telemetry[0] > 0) {
            dropScanFrom = telemetry[0] + 1;
            return telemetry[0];
        }
        // Everything buffered is kept-longer: remember that, and drop the oldest of those.
        dropScanFrom = nextSeq;
        return segments.ceiling(lastAcked + 1);
    }

    /** Records {@code [from, to]}, seqs lost with a store set aside, in memory and in the queue map. */
    private void recordLost(long from, long to) {
        long f = SeqRanges.add(dropped, from, to, start -> map.remove(-start));
        map.put(-f, Stored.range(dropped.get(f)));
        lostRangesInQueueMap = true;
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
