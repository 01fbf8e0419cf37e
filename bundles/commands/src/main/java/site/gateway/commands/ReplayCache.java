package site.gateway.commands;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commandIds of accepted commands, each with the time until which it must be remembered, and which
 * of them still owe a {@code command.result}, in an append-only file ({@code replay.log}) so that a replay
 * is recognised after a restart too and an accepted command cut short by a crash is reported. Lines:
 * <pre>
 * &lt;keepUntil&gt; &lt;commandId&gt;          accepted (the only kind of line before results were tracked)
 * pending &lt;commandId&gt; &lt;plcId&gt;    its result is owed; written with the line above in one forced append
 * done &lt;commandId&gt;               its result is about to be appended to the outbox
 * </pre>
 * The accepted line keeps its old form, so that a previous version reading this file still refuses every
 * replay (it skips the other lines as unreadable). The accepted and pending lines are appended and forced
 * to the device before the command is acknowledged: a crash can never lead to a command being
 * acknowledged, executed, then accepted again. A line without its newline (torn by a crash during the
 * append, so before the ack or before the result was appended) is ignored when reading. The file is
 * rewritten without expired entries when opened and, at most once a minute, when it has grown to twice
 * its live lines; an entry whose result is still owed is kept however old while running.
 */
final class ReplayCache implements AutoCloseable {
    static final String FILE_NAME = "replay.log";
    private static final Logger LOG = LoggerFactory.getLogger(ReplayCache.class);
    private static final long PRUNE_INTERVAL_MS = 60_000;
    static final int MIN_LINES_BEFORE_REWRITE = 1000;
    private static final String PENDING = "pending ";
    private static final String DONE = "done ";

    private final Path file;
    private final int minLinesBeforeRewrite;
    /** In the order of acceptance, so that results owed after a crash are sent in that order. */
    private final Map<String, Long> keepUntil = new LinkedHashMap<>();
    /** commandId → plcId of the accepted commands whose result has not been appended yet. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    /**
     * Not a FileChannel: an interrupt during a channel's I/O closes the channel, and a command thread is interrupted
     * when the component stops, right when it may be recording a done command.
     */
    private FileOutputStream out;
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

    /**
     * Remembers an accepted command for {@code plcId}, and that its result is owed, durably (appended and
     * forced) before returning.
     */
    synchronized void remember(String commandId, String plcId, long until, long now) {
        keepUntil.merge(commandId, until, Math::max);
        pending.put(commandId, plcId);
        try {
            append(until + " " + commandId + "\n" + PENDING + commandId + " " + plcId + "\n", 2);
        } catch (IOException e) {
            pending.remove(commandId); // refused, so no result is owed
            throw new UncheckedIOException("replay cache " + file + " not written", e);
        }
        try {
            if (now - lastPrune >= PRUNE_INTERVAL_MS) {
                prune(now);
                if (linesInFile >= minLinesBeforeRewrite && linesInFile > 2L * liveLines()) {
                    rewrite(now);
                }
            }
        } catch (IOException e) {
            // The command is on record (and owes a result): accepting it is right. The next append fails if the
            // file is no longer usable, and that command is refused.
            LOG.error("Replay cache {} not compacted: {}", file, e.toString());
        }
    }

    /**
     * Records durably (appended and forced) that the result of {@code commandId} is about to be appended to the
     * outbox, so that a restart never reports it again. Nothing is written for a command that owes none.
     *
     * @throws UncheckedIOException when the record cannot be written: the result must then not be sent, and
     *         the command still counts as owing one
     */
    synchronized void done(String commandId) {
        if (!pending.containsKey(commandId)) {
            return;
        }
        try {
            append(DONE + commandId + "\n", 1);
        } catch (IOException e) {
            throw new UncheckedIOException("replay cache " + file + " not written", e);
        }
        pending.remove(commandId);
    }

    /** commandId → plcId of the accepted commands whose result is owed, in the order of acceptance. */
    synchronized Map<String, String> owed() {
        return new LinkedHashMap<>(pending);
    }

    /** Takes over the live entries of another cache (a new directory), forced to the device at once. */
    synchronized void rememberAll(ReplayCache other, long now) {
        Map<String, Long> live = new LinkedHashMap<>();
        Map<String, String> owed = new LinkedHashMap<>();
        other.snapshot(now, live, owed);
        if (live.isEmpty()) {
            return;
        }
        live.forEach((id, until) -> keepUntil.merge(id, until, Math::max));
        pending.putAll(owed);
        try {
            append(lines(live, owed), live.size() + owed.size());
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

    private synchronized void snapshot(long now, Map<String, Long> live, Map<String, String> owed) {
        keepUntil.forEach((id, until) -> {
            if (until >= now || pending.containsKey(id)) {
                live.put(id, until);
            }
        });
        owed.putAll(pending);
    }

    synchronized int size() {
        return keepUntil.size();
    }

    /** Lines currently in the file, live or not. */
    synchronized long linesInFile() {
        return linesInFile;
    }

    private void append(String text, int lines) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.getFD().sync();
        linesInFile += lines;
    }

    private long liveLines() {
        return keepUntil.size() + pending.size();
    }

    private void load(long now) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        int bad = 0;
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            if (!read(text.substring(start, end))) {
                bad++;
            }
        }
        if (start < text.length()) {
            bad++; // no newline: torn by a crash during its append, so never acknowledged or reported
        }
        if (bad > 0) {
            LOG.warn("Replay cache {}: ignored {} unreadable line(s) (a torn last append after a crash is expected)",
                    file, bad);
        }
        pending.keySet().retainAll(keepUntil.keySet());
        // A result owed is owed however long the gateway was down: the WMS got "accepted" and waits for it.
        prune(now);
    }

    /** Applies one complete line; false if it is not one of the three forms. */
    private boolean read(String line) {
        if (line.startsWith(PENDING)) {
            String[] fields = line.substring(PENDING.length()).split(" ", -1);
            if (fields.length != 2 || !isId(fields[0]) || !isId(fields[1])) {
                return false;
            }
            pending.remove(fields[0]); // an id accepted again after it was forgotten is owed from its new place
            pending.put(fields[0], fields[1]);
            return true;
        }
        if (line.startsWith(DONE)) {
            String id = line.substring(DONE.length());
            pending.remove(id);
            return isId(id);
        }
        int space = line.indexOf(' ');
        String id = space > 0 ? line.substring(space + 1) : "";
        if (!isId(id)) {
            return false;
        }
        try {
            keepUntil.merge(id, Long.parseLong(line.substring(0, space)), Math::max);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isId(String text) {
        return CommandParser.ID.matcher(text).matches();
    }

    /** Forgets expired ids, except those still owing a result (queued or running). */
    private void prune(long now) {
        keepUntil.entrySet().removeIf(e -> e.getValue() < now && !pending.containsKey(e.getKey()));
        lastPrune = now;
    }

    private static String lines(Map<String, Long> accepted, Map<String, String> owed) {
        StringBuilder text = new StringBuilder(accepted.size() * 40 + owed.size() * 50);
        accepted.forEach((id, until) -> {
            text.append(until).append(' ').append(id).append('\n');
            String plcId = owed.get(id);
            if (plcId != null) {
                text.append(PENDING).append(id).append(' ').append(plcId).append('\n');
            }
        });
        return text.toString();
    }

    /** Writes the live entries to a new file and moves it over the old one, then appends to it. */
    private void rewrite(long now) throws IOException {
        prune(now);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileOutputStream next = new FileOutputStream(tmp.toFile())) {
            next.write(lines(keepUntil, pending).getBytes(StandardCharsets.US_ASCII));
            next.getFD().sync();
        }
        if (out != null) {
            out.close();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.getParent());
        out = new FileOutputStream(file.toFile(), true);
        linesInFile = liveLines();
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
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            LOG.warn("Closing replay cache {}: {}", file, e.toString());
        }
    }
}
