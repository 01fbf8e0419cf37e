package site.gateway.storage;

import java.util.function.LongSupplier;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * Guards and bounds the file. Guards: space freed in the file is reused only for chunks that died
 * before the last {@code sync()} (the synced version is registered as in use), so a power cut can
 * never find a synced state whose chunks were overwritten by unsynced writes; this is what lets the
 * retention time be short. Bounds: keeps the file near the live data. A queue frees whole chunks at its head, but MVStore's own
 * housekeeping is lazy and a busy store grows well past its live data; so, at most once a second,
 * when the file is more than twice the live bytes plus {@link #FLOOR_BYTES}, rewrite sparse chunks; not
 * while the buffer shrank by {@link #DRAIN_SHRINK_BYTES} or more since the last check (a backlog drains, about
 * 2,500 messages a second or more): then the head frees whole chunks by itself, and a rewrite moved messages
 * about to be acknowledged, read back and written again (4 % of the gateway's CPU in a drain's profile, plus
 * the collections of the pages it read).
 */
final class FileKeeper {
    static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    static final long FLOOR_BYTES = 16L << 20;
    static final int WRITE_LIMIT = 16 << 20;
    /** A shrink of at least this many buffered bytes since the last check (a second or more) counts as a drain. */
    static final long DRAIN_SHRINK_BYTES = 1L << 20;

    private final MVStore store;
    private final LongSupplier nanoClock;
    private long lastCheck;
    private long liveAtLastCheck;
    private MVStore.TxCounter syncedPin;

    FileKeeper(MVStore store) {
        this(store, System::nanoTime);
    }

    /** @param nanoClock {@link System#nanoTime()} but in tests */
    FileKeeper(MVStore store, LongSupplier nanoClock) {
        this.store = store;
        this.nanoClock = nanoClock;
    }

    /** Called right after a commit and sync: from now on, chunks that died up to here may be reused. */
    synchronized void synced() {
        MVStore.TxCounter previous = syncedPin;
        syncedPin = store.registerVersionUsage();
        if (previous != null) {
            store.deregisterVersionUsage(previous);
        }
    }

    synchronized void release() {
        if (syncedPin != null) {
            store.deregisterVersionUsage(syncedPin);
            syncedPin = null;
        }
    }

    /** Called by the committer after a commit; {@code liveBytes} is the buffered message bytes. */
    void maybeCompact(long liveBytes) {
        long now = nanoClock.getAsLong();
        if (now - lastCheck < CHECK_EVERY_NANOS) {
            return;
        }
        lastCheck = now;
        boolean draining = liveAtLastCheck - liveBytes >= DRAIN_SHRINK_BYTES;
        liveAtLastCheck = liveBytes;
        if (draining) {
            return;
        }
        FileStore<?> fs = store.getFileStore();
        long size = fs.size();
        if (size <= 2 * liveBytes + FLOOR_BYTES) {
            return;
        }
        // Rewrite live pages out of sparse chunks, so that whole chunks die and their space is reused;
        // moving chunks and truncating the file is left to MVStore's own housekeeping (calling
        // compactMoveChunks from here raced with chunk writes and tripped MVStore's assertions).
        store.compact(MVStores.AUTO_COMPACT_FILL_RATE, WRITE_LIMIT);
    }
}
