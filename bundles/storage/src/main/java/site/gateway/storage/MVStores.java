package site.gateway.storage;

import java.nio.file.Path;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;

/** How the buffer opens MVStore: the tuning lives here so that the benchmark can reuse it. */
public final class MVStores {
    /** Unsaved changes beyond this are committed by the writing thread itself (back pressure). */
    static final int AUTO_COMMIT_BUFFER_KB = 2 * 1024;
    /** MVStore's background thread compacts when chunks are less full than this. */
    static final int AUTO_COMPACT_FILL_RATE = 90;
    /**
     * MVStore's page cache. The sender reads messages shortly after the sync that made them durable, so the pages
     * written last should still be cached: with 1 MiB a live queue read a third of its pages back from the file
     * (the store at 0.73 of a bare map doing the same work, against 1.2 with 2 MiB). Not more: in a drain every
     * page is read once, and a larger cache only held each page it read past the serial collector's young
     * generation, to be promoted and then collected by a full collection (8 MiB: full collections took 26 % of
     * the gateway's CPU in a drain's profile, 12 % with 1 MiB).
     */
    static final int CACHE_MB = 2;
    /**
     * Young chunks are neither reused nor rewritten before this age. Power-cut safety does not rest on it
     * (see {@link FileKeeper}); kept short because a busy queue otherwise carries rate x retention of
     * dead chunks in its file.
     */
    static final int RETENTION_MS = 250;

    private MVStores() {
    }

    public static MVStore open(Path file, Limits limits) {
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitBufferSize(AUTO_COMMIT_BUFFER_KB)
                .autoCompactFillRate(AUTO_COMPACT_FILL_RATE)
                .cacheSize(CACHE_MB)
                .open();
        store.setRetentionTime(RETENTION_MS);
        return store;
    }

    static MVMap.Builder<Long, Stored> mapBuilder() {
        return new MVMap.Builder<Long, Stored>().keyType(LongDataType.INSTANCE).valueType(Stored.Type.INSTANCE);
    }

    static void closeQuietly(MVStore store) {
        if (store != null) {
            try {
                store.closeImmediately();
            } catch (RuntimeException ignored) {
                // already broken: being moved aside
            }
        }
    }
}
