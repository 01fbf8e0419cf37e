package site.gateway.commands;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;

/**
 * Replay protection that survives a wrong clock (issue 13). The replay cache forgets a commandId once
 * its retention has passed by the clock; a clock that jumps forward and comes back would let captured
 * commands through again, and raising {@code clockSkewSeconds} would accept commands whose ids were
 * already forgotten. This keeps, durably next to the replay cache ({@code clock.state}):
 * <ul>
 * <li>the highest time seen: while the clock is behind it (by more than the skew allowance), commands are
 * refused;</li>
 * <li>the largest skew allowance and command lifetime ever configured: retention always follows those, so
 * lowering and raising again cannot re-open the window.</li>
 * </ul>
 */
final class ClockGuard {
    static final String FILE = "clock.state";
    /** The highest time seen is written at most this often; the check allows for the difference. */
    static final long PERSIST_EVERY_MS = 10_000;

    private final Path file;
    private long highestSeen;
    private long persistedHighest;
    private long largestSkewMs;
    private long largestLifetimeMs;

    private ClockGuard(Path file) {
        this.file = file;
    }

    static ClockGuard open(Path directory, long now, Duration skew, Duration lifetime) throws IOException {
        Files.createDirectories(directory);
        ClockGuard guard = new ClockGuard(directory.resolve(FILE));
        if (Files.exists(guard.file)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(guard.file, StandardCharsets.US_ASCII)));
            guard.highestSeen = Long.parseLong(p.getProperty("highestSeen", "0"));
            guard.largestSkewMs = Long.parseLong(p.getProperty("largestSkewMs", "0"));
            guard.largestLifetimeMs = Long.parseLong(p.getProperty("largestLifetimeMs", "0"));
        }
        guard.persistedHighest = guard.highestSeen;
        guard.largestSkewMs = Math.max(guard.largestSkewMs, skew.toMillis());
        guard.largestLifetimeMs = Math.max(guard.largestLifetimeMs, lifetime.toMillis());
        if (now > guard.highestSeen) {
            guard.highestSeen = now;
        }
        guard.persist();
        return guard;
    }

    /** True while {@code now} is more than {@code toleranceMs} behind the highest time this gateway has seen. */
    synchronized boolean behind(long now, long toleranceMs) {
        return now + toleranceMs + PERSIST_EVERY_MS < highestSeen;
    }

    synchronized long highestSeen() {
        return highestSeen;
    }

    /** Notes the time of a command; written at most every {@link #PERSIST_EVERY_MS}. */
    synchronized void seen(long now) throws IOException {
        if (now > highestSeen) {
            highestSeen = now;
            if (now - persistedHighest >= PERSIST_EVERY_MS) {
                persist();
            }
        }
    }

    /**
     * Takes a new configuration's allowances into the largest ever; returns by how much the retention
     * (lifetime + skew) grew, which the replay cache must add to what it holds.
     */
    synchronized long raise(Duration skew, Duration lifetime) throws IOException {
        long before = largestSkewMs + largestLifetimeMs;
        largestSkewMs = Math.max(largestSkewMs, skew.toMillis());
        largestLifetimeMs = Math.max(largestLifetimeMs, lifetime.toMillis());
        long grown = largestSkewMs + largestLifetimeMs - before;
        if (grown > 0) {
            persist();
        }
        return grown;
    }

    synchronized long largestSkewMs() {
        return largestSkewMs;
    }

    /** How long an accepted commandId is remembered: the longest lifetime plus the largest skew ever allowed. */
    synchronized long retentionMs() {
        return largestSkewMs + largestLifetimeMs;
    }

    Path file() {
        return file;
    }

    private void persist() throws IOException {
        String text = "# Written by the gateway (docs/commands.md, \"Clock\"). Deleting it re-opens replays.\n"
                + "highestSeen=" + highestSeen + "\nlargestSkewMs=" + largestSkewMs + "\nlargestLifetimeMs="
                + largestLifetimeMs + "\n";
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        persistedHighest = highestSeen;
    }
}
