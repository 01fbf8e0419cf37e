package site.gateway.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The commandIds of accepted commands, each with the time until which it must be remembered, in an H2
 * MVStore file ({@code replay.mv.db}) so that a replay is recognised after a restart too. An entry is
 * written and synced to the device before the command is acknowledged: a crash can never lead to a
 * command being acknowledged, executed, then accepted again.
 */
final class ReplayCache implements AutoCloseable {
    static final String FILE_NAME = "replay.mv.db";
    private static final long PRUNE_INTERVAL_MS = 60_000;

    private final Path file;
    private final MVStore store;
    private final MVMap<String, Long> keepUntil;
    private long lastPrune;

    /** @throws IOException when the directory cannot be created; MVStore errors are unchecked */
    static ReplayCache open(Path directory, long now) throws IOException {
        Files.createDirectories(directory);
        return new ReplayCache(directory.resolve(FILE_NAME), now);
    }

    private ReplayCache(Path file, long now) {
        this.file = file;
        this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
        this.keepUntil = store.openMap("accepted");
        prune(now);
    }

    Path file() {
        return file;
    }

    /** True when {@code commandId} was accepted and is still within its retention. */
    synchronized boolean contains(String commandId, long now) {
        Long until = keepUntil.get(commandId);
        return until != null && until >= now;
    }

    /** Remembers an accepted command durably (commit and sync) before returning. */
    synchronized void remember(String commandId, long until, long now) {
        keepUntil.put(commandId, until);
        if (now - lastPrune >= PRUNE_INTERVAL_MS) {
            prune(now);
        } else {
            store.commit();
        }
        store.sync();
    }

    synchronized int size() {
        return keepUntil.size();
    }

    /** Forgets entries whose retention has passed. */
    synchronized void prune(long now) {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, Long> e : keepUntil.entrySet()) {
            if (e.getValue() < now) {
                stale.add(e.getKey());
            }
        }
        stale.forEach(keepUntil::remove);
        store.commit();
        lastPrune = now;
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }
}
