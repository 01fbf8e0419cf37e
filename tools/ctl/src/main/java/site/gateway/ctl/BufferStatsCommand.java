package site.gateway.ctl;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code buffer stats}: what the buffer file holds, read-only. A running gateway holds the file's lock;
 * the tool then says so (exit 3) and points to {@code status}, which has the live figures, rather than
 * read a file that is being written.
 */
final class BufferStatsCommand implements Command {
    @Override
    public String help() {
        return """
                usage: gateway-ctl buffer stats [--home DIR] [--dir DIR] [--json]
                  Messages, bytes, seq range, age of the oldest message and drop counters of the buffer file
                  (outbox.mv.db), opened read-only. While the gateway runs it holds the file: use
                  'gateway-ctl status' for the live figures then.
                  --dir DIR   the buffer folder (default: directory of conf/gateway.buffer.cfg, else data/buffer)
                  --json      machine-readable output
                  Exit code: 0 read, 2 no buffer there / unreadable, 3 in use by a running gateway.
                """;
    }

    @Override
    public Set<String> flags() {
        return Set.of("json");
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        Path dir = home.resolve(options.get("dir", home.cfg("gateway.buffer", "directory", "data/buffer")));
        Path file = dir.resolve(BufferFile.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            err.println("no buffer file " + file);
            return 2;
        }
        BufferFile.Stats stats;
        try {
            stats = BufferFile.read(file);
        } catch (BufferFile.InUseException e) {
            err.println("the buffer " + file + " is in use by a running gateway (" + e.getMessage()
                    + "); 'gateway-ctl status' shows its live figures");
            return 3;
        } catch (RuntimeException e) {
            err.println("cannot read the buffer " + file + ": " + e.getMessage());
            return 2;
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("file", file.toString());
        facts.put("fileBytes", stats.fileBytes());
        facts.put("messages", stats.messages());
        facts.put("bytes", stats.accountedBytes());
        facts.put("jsonBytes", stats.jsonBytes());
        facts.put("byType", stats.byType());
        facts.put("firstSeq", stats.firstSeq());
        facts.put("lastSeq", stats.lastSeq());
        facts.put("lastAcked", stats.lastAcked());
        facts.put("oldestCreatedAt", stats.oldestCreatedAt() <= 0 ? null : Instant.ofEpochMilli(stats.oldestCreatedAt()).toString());
        facts.put("droppedTotal", stats.droppedTotal());
        facts.put("rejectedTotal", stats.rejectedTotal());
        facts.put("droppedRanges", stats.droppedRanges());
        if (options.has("json")) {
            out.println(Json.write(facts));
            return 0;
        }
        out.println("Buffer " + file + " (" + stats.fileBytes() + " bytes on disk)");
        out.println("  messages          " + stats.messages() + (stats.byType().isEmpty() ? "" : " " + stats.byType()));
        out.println("  bytes             " + stats.accountedBytes() + " (as counted against maxBytes; JSON alone "
                + stats.jsonBytes() + ")");
        out.println("  seqs              " + (stats.messages() == 0 ? "-" : stats.firstSeq() + ".." + stats.lastSeq())
                + ", last acknowledged " + stats.lastAcked());
        out.println("  oldest            " + (stats.oldestCreatedAt() <= 0 ? "-" : Instant.ofEpochMilli(stats.oldestCreatedAt())
                + " (" + age(stats.oldestCreatedAt()) + " ago)"));
        out.println("  dropped / rejected " + stats.droppedTotal() + " / " + stats.rejectedTotal()
                + " (" + stats.droppedRanges() + " dropped ranges recorded)");
        return 0;
    }

    private static String age(long epochMillis) {
        Duration d = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - epochMillis));
        return d.toHours() > 0 ? d.toHours() + " h " + d.toMinutesPart() + " min" : d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
}
