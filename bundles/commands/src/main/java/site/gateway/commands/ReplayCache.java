package site.gateway.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commandIds of accepted commands, each with the time until which it must be remembered, in an
 * append-only file ({@code replay.log}, lines {@code <keepUntil> <commandId>}) so that a replay is
 * recognised after a restart too. An entry is appended and forced to the device before the command
 * is acknowledged: a crash can never lead to a command being acknowledged, executed, then accepted
 * again. A torn last line (crash during the append, so before any ack) is ignored when reading.
 * The file is rewritten without expired entries when opened and, at most once a minute, when it has
 * grown to twice its live entries.
 */
final class ReplayCache implements AutoCloseable {
    static final String FILE_NAME = "replay.log";
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCache.class);
    private static final long PRUNE_INTERVAL_MS = 60_000;
    static final int MIN_LINES_BEFORE_REWRITE = 1000;

    private final Path file;
    private final int minLinesBeforeRewrite;
    private final Map<String, Long> keepUntil = new HashMap<>();
    private FileChannel channel;
    private long linesInFile;
    private long lastPrune;

    /** @throws IOException when the directory or the file cannot be read or written */
    static ReplayCache open(Path directory, long now) throws IOException {
        return open(directory, now, MIN_LINES_BEFORE_REWRITE);
    }

    static ReplayCache open(Path directory, long now, int minLinesBeforeRewrite) throws IOException {
        Files.createDirectories(directory);
        return new ReplayCache(directory.resolve(FILE_NAME), now, minLinesBeforeRewrite);
    }

    private ReplayCache(Path file, long now, int minLinesBeforeRewrite) throws IOException {
        this.file = file;
        this.minLinesBeforeRewrite = minLinesBeforeRewrite;
        if (Files.exists(file)) {
            load(now);
        }
        rewrite(now);
    }

    Path file() {
        return file;
    }

    /** True when {@code commandId} was accepted and is still within its retention. */
    synchronized boolean contains(String commandId, long now) {
        Long until = keepUntil.get(commandId);
        return until != null && until >= now;
    }

    /** Remembers an accepted command durably (appended and forced) before returning. */
    synchronized void remember(String commandId, long until, long now) {
        keepUntil.merge(commandId, until, Math::max);
        try {
            channel.write(ByteBuffer.wrap((until + " " + commandId + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            linesInFile++;
            if (now - lastPrune >= PRUNE_INTERVAL_MS) {
                prune(now);
                if (linesInFile >= minLinesBeforeRewrite && linesInFile > 2L * keepUntil.size()) {
                    rewrite(now);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("replay cache " + file + " not written", e);
        }
    }

    /** Takes over the live entries of another cache (a new directory), forced to the device at once. */
    synchronized void rememberAll(ReplayCache other, long now) {
        Map<String, Long> live = other.snapshot(now);
        if (live.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(live.size() * 40);
        live.forEach((id, until) -> {
            keepUntil.merge(id, until, Math::max);
            text.append(until).append(' ').append(id).append('\n');
        });
        try {
            channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
            linesInFile += live.size();
        } catch (IOException e) {
            throw new UncheckedIOException("replay cache " + file + " not written", e);
        }
    }

    /** The retention grew (a larger skew or lifetime): every id is kept {@code extraMs} longer, durably. */
    synchronized void extendAll(long extraMs, long now) {
        keepUntil.replaceAll((id, until) -> until + extraMs);
        try {
            rewrite(now);
        } catch (IOException e) {
            throw new UncheckedIOException("replay cache " + file + " not rewritten", e);
        }
    }

    private synchronized Map<String, Long> snapshot(long now) {
        Map<String, Long> live = new HashMap<>(keepUntil);
        live.values().removeIf(until -> until < now);
        return live;
    }

    synchronized int size() {
        return keepUntil.size();
    }

    /** Lines currently in the file, live or not. */
    synchronized long linesInFile() {
        return linesInFile;
    }

    private void load(long now) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        int bad = 0;
        for (String line : lines) {
            int space = line.indexOf(' ');
            String id = space > 0 ? line.substring(space + 1) : "";
            if (!CommandParser.ID.matcher(id).matches()) {
                bad++;
                continue;
            }
            try {
                keepUntil.merge(id, Long.parseLong(line.substring(0, space)), Math::max);
            } catch (NumberFormatException e) {
                bad++;
            }
        }
        if (bad > 0) {
            LOG.warn("Replay cache {}: ignored {} unreadable line(s) (a torn last append after a crash is expected)",
                    file, bad);
        }
        prune(now);
    }

    private void prune(long now) {
        keepUntil.values().removeIf(until -> until < now);
        lastPrune = now;
    }

    /** Writes the live entries to a new file and moves it over the old one, then appends to it. */
    private void rewrite(long now) throws IOException {
        prune(now);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        StringBuilder text = new StringBuilder(keepUntil.size() * 40);
        keepUntil.forEach((id, until) -> text.append(until).append(' ').append(id).append('\n'));
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        if (channel != null) {
            channel.close();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        linesInFile = keepUntil.size();
    }

    /** Makes the rename durable; not every platform can open a directory, which is then left to the OS. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("Closing replay cache {}: {}", file, e.toString());
        }
    }
}
