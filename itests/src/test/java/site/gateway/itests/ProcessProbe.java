package site.gateway.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a JVM process uses, read from outside it: /proc for threads, file descriptors and RSS, jcmd for the heap. */
final class ProcessProbe {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final long pid;

    ProcessProbe(long pid) {
        this.pid = pid;
    }

    long threads() throws IOException {
        return statusField("Threads:");
    }

    long rssKb() throws IOException {
        return statusField("VmRSS:");
    }

    long fileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** Heap in use right after a full GC ({@code jcmd GC.run}, then the generations' "used" of {@code GC.heap_info}). */
    double heapAfterGcMb() throws IOException, InterruptedException {
        jcmd("GC.run");
        long kb = 0;
        for (String line : jcmd("GC.heap_info").split("\n")) {
            // Top-level lines (one space in): one per generation (serial, parallel) or the whole heap (G1), then Metaspace.
            if (line.startsWith(" ") && !line.startsWith("  ") && !line.contains("Metaspace")) {
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    kb += Long.parseLong(m.group(1));
                }
            }
        }
        return kb / 1024.0;
    }

    private long statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + name + " for process " + pid);
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}
