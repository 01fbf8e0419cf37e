package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@link FileKeeper} rewrites sparse chunks (a commit after it writes the moved pages): not while the buffer drains. */
class FileKeeperTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(10 * SECOND);
    private MVStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.closeImmediately();
        }
    }

    @Test
    void sparseChunksAreRewrittenWhileTheBufferHoldsSteady() {
        openSparseStore("steady");
        FileKeeper keeper = new FileKeeper(store, now::get);
        long writesBefore = store.getFileStore().getWriteCount();
        keeper.maybeCompact(1024);
        store.commit();
        assertThat(store.getFileStore().getWriteCount()).isGreaterThan(writesBefore); // live pages were moved
    }

    @Test
    void notWhileTheBufferDrainsThenAgainOnceItHoldsSteady() {
        openSparseStore("draining");
        FileKeeper keeper = new FileKeeper(store, now::get);
        long writesBefore = store.getFileStore().getWriteCount();
        keeper.maybeCompact(1L << 30); // the first check: a large backlog (the file is small next to it: no rewrite)
        now.addAndGet(SECOND);
        keeper.maybeCompact(1024); // shrank by far more than DRAIN_SHRINK_BYTES in a second: draining
        store.commit();
        assertThat(store.getFileStore().getWriteCount()).isEqualTo(writesBefore); // nothing to commit: nothing moved

        now.addAndGet(SECOND);
        keeper.maybeCompact(1024 - 1); // a steady buffer moves a little, less than DRAIN_SHRINK_BYTES
        store.commit();
        assertThat(store.getFileStore().getWriteCount()).isGreaterThan(writesBefore); // live pages were moved
    }

    /** {@link #store}: a file well above {@link FileKeeper#FLOOR_BYTES} whose chunks each hold about a quarter live data. */
    private void openSparseStore(String name) {
        store = new MVStore.Builder().fileName(dir.resolve(name + ".mv.db").toString()).autoCommitDisabled().open();
        store.setRetentionTime(0);
        MVMap<Long, Stored> map = store.openMap("queue", MVStores.mapBuilder());
        byte[] body = new byte[1000];
        long key = 0;
        for (int chunk = 0; chunk < 40; chunk++) {
            for (int i = 0; i < 1000; i++) {
                map.put(key++, new Stored((byte) 1, key, body));
            }
            store.commit();
        }
        for (long k = 0; k < key; k++) {
            if (k % 1000 < 750) { // whole leaves go; the chunk keeps the rest of its leaves
                map.remove(k);
            }
        }
        store.commit();
        assertThat(store.getFileStore().size()).isGreaterThan(FileKeeper.FLOOR_BYTES + 2 * 1024);
    }
}
