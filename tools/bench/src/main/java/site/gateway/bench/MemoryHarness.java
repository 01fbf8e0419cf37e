package site.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory footprint of the real distribution ({@code runtime/target/gateway}) against the WMS sandbox, one
 * gateway per JVM configuration, each through the same phases: idle, the seed load (one simulated PLC every
 * 60 ms), 10 PLCs x 20 tags every 100 ms, buffering N messages with the WMS down (fill PLCs every 10 ms),
 * the drain once the WMS is back, and idle after the drain. Per phase: the resident set (VmRSS of
 * /proc/&lt;pid&gt;/status, sampled every second: median and peak), the heap in use after a full GC
 * ({@code jcmd GC.run}, then {@code jstat -gc}), and the messages the WMS stored per second. Prints one
 * table with the configurations side by side.
 *
 * <p>Configurations: {@code old} = the JVM's own defaults ({@code GATEWAY_JVM_DEFAULTS} empty, as before
 * the shipped defaults), {@code new} = the defaults of {@code bin/gateway}, {@code name=options} = those
 * options instead of the shipped defaults (with glibc's malloc arenas limited as {@code bin/gateway} does). Run from the repository root after
 * {@code mvn -B -ntp -DskipTests install}:
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.bench.MemoryHarness [messages=1000000] [phaseSeconds=60] [configs=old new]</pre>
 *
 * {@code -Dfill.plcs=40} sets the PLCs that fill the backlog. A figure, not a test: nothing is asserted.
 */
public final class MemoryHarness {
    private static final int WMS_PORT = 38443;
    private static final int ADMIN_PORT = 38444;
    private static final int CONSOLE_PORT = 38080;
    private static final Pattern STORED = Pattern.compile("\"stored\":(\\d+)");
    private static final Duration PATIENCE = DistributionRig.PATIENCE;

    private final DistributionRig rig = new DistributionRig(CONSOLE_PORT);
    private final int fillPlcs = Integer.getInteger("fill.plcs", 40);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long messages;
    private final int phaseSeconds;

    private MemoryHarness(long messages, int phaseSeconds) {
        this.messages = messages;
        this.phaseSeconds = phaseSeconds;
    }

    /** One phase's figures. */
    record Row(String phase, long rssMedianKb, long rssPeakKb, double heapAfterGcMb, double messagesPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        List<String> configs = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("old", "new");
        MemoryHarness harness = new MemoryHarness(messages, seconds);
        harness.rig.requireBuilt();
        Map<String, List<Row>> results = new LinkedHashMap<>();
        for (String config : configs) {
            results.put(config.contains("=") ? config.substring(0, config.indexOf('=')) : config, harness.run(config));
        }
        print(results);
    }

    private List<Row> run(String config) throws Exception {
        Path home = Dirs.temp("gateway-memory");
        List<Row> rows = new ArrayList<>();
        Process sandbox = null;
        Process gateway = null;
        try {
            rig.writePki(home);
            rig.writeConf(home, WMS_PORT);
            sandbox = new ProcessBuilder("java", "-Xmx1g", "-jar", rig.sandboxJar.toString(), "serve", "--pki",
                    home.resolve("certs").toString(), "--port", String.valueOf(WMS_PORT), "--admin-port",
                    String.valueOf(ADMIN_PORT), "--heartbeat-seconds", "10")
                    .redirectErrorStream(true).redirectOutput(home.resolve("sandbox.log").toFile()).start();
            gateway = rig.startGateway(home, config.equals("old") ? "" : config.contains("=") ? config.substring(config.indexOf('=') + 1) : null);
            Process started = gateway;
            Process wms = sandbox;
            Thread cleanup = new Thread(() -> { // an interrupted run leaves no gateway or sandbox behind
                started.destroy();
                wms.destroy();
            });
            Runtime.getRuntime().addShutdownHook(cleanup);
            long pid = gateway.pid();
            log(config + ": gateway pid " + pid + ", home " + home);
            DistributionRig.awaitCondition("the WMS session", () -> admin().contains("\"closedAt\":null"));

            add(rows, config, steady(pid, "idle (no PLC, session open)"));
            rig.writePlcs(home, "seed", 1, 60, 3);
            add(rows, config, steady(pid, "seed: 1 PLC x 3 tags every 60 ms"));
            DistributionRig.removePlcs(home, "seed");
            rig.writePlcs(home, "line", 10, 100, 20);
            add(rows, config, steady(pid, "10 PLCs x 20 tags every 100 ms"));
            DistributionRig.removePlcs(home, "line");

            add(rows, config, fill(pid, home));
            add(rows, config, drain(pid, home));
            add(rows, config, steady(pid, "idle after the drain"));
            Runtime.getRuntime().removeShutdownHook(cleanup);
            return rows;
        } finally {
            DistributionRig.stop(gateway);
            DistributionRig.stop(sandbox);
            Dirs.delete(home);
        }
    }

    private static void add(List<Row> rows, String config, Row row) {
        rows.add(row);
        log(config + ": " + row);
    }

    /** A load that runs for the phase: RSS sampled each second, then the heap after a full GC. */
    private Row steady(long pid, String phase) throws Exception {
        long stored0 = stored();
        long t0 = System.nanoTime();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < phaseSeconds; i++) {
            TimeUnit.SECONDS.sleep(1);
            rss.add(DistributionRig.rssKb(pid));
        }
        double rate = (stored() - stored0) / ((System.nanoTime() - t0) / 1e9);
        // The median of the second half: the first seconds of a phase still carry the previous one.
        return new Row(phase, DistributionRig.median(rss.subList(rss.size() / 2, rss.size())), DistributionRig.max(rss), DistributionRig.heapAfterGcMb(pid), rate);
    }

    /** WMS down, fill PLCs every 10 ms until the buffer holds the messages asked for. */
    private Row fill(long pid, Path home) throws Exception {
        post("/admin/faults/offline");
        rig.writePlcs(home, "fill", fillPlcs, 10, 3);
        List<Long> rss = new ArrayList<>();
        long t0 = System.nanoTime();
        long deadline = t0 + PATIENCE.toNanos();
        long buffered = 0;
        while (buffered < messages && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(1);
            rss.add(DistributionRig.rssKb(pid));
            if (rss.size() % 5 == 0) {
                buffered = rig.buffered(home);
            }
        }
        double rate = buffered / ((System.nanoTime() - t0) / 1e9);
        DistributionRig.removePlcs(home, "fill");
        long settled = -1;
        while (settled != buffered) { // the fill PLCs stop within a poll or two
            settled = buffered;
            TimeUnit.SECONDS.sleep(3);
            rss.add(DistributionRig.rssKb(pid));
            buffered = rig.buffered(home);
        }
        log("buffered " + buffered + " messages at " + Math.round(rate) + " msg/s");
        return new Row(String.format("WMS down, %,d messages buffered (%d PLCs every 10 ms)", buffered, fillPlcs),
                DistributionRig.median(rss.subList(rss.size() / 2, rss.size())), DistributionRig.max(rss), DistributionRig.heapAfterGcMb(pid), rate);
    }

    /** WMS up again: until the WMS has stored the whole backlog; the rate from its first to its last message. */
    private Row drain(long pid, Path home) throws Exception {
        long backlog = rig.buffered(home);
        long stored0 = stored();
        post("/admin/faults/online");
        List<Long> rss = new ArrayList<>();
        long first = 0;
        long last = 0;
        long storedNow = stored0;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long left = backlog;
        long lastSample = 0;
        while (left > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            long now = System.nanoTime();
            long stored = stored();
            if (first == 0 && stored > stored0) {
                first = now;
            }
            if (stored > storedNow) {
                last = now;
                storedNow = stored;
            }
            if (rss.isEmpty() || now - lastSample >= 1_000_000_000L) {
                rss.add(DistributionRig.rssKb(pid));
                lastSample = now;
                left = rig.buffered(home); // the end: the gateway's buffer is empty
            }
        }
        double rate = first == 0 || last == first ? 0 : (storedNow - stored0) / ((last - first) / 1e9);
        log("drained " + (storedNow - stored0) + " of " + backlog + " at " + Math.round(rate) + " msg/s");
        return new Row(String.format("drain of the backlog, WMS up (%,d stored)", storedNow - stored0),
                DistributionRig.median(rss), DistributionRig.max(rss), DistributionRig.heapAfterGcMb(pid), rate);
    }

    private long stored() throws Exception {
        Matcher m = STORED.matcher(admin());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private String admin() throws Exception {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN_PORT + "/admin/state"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException notYet) {
            return "";
        }
    }

    private void post(String path) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ADMIN_PORT + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void log(String line) {
        System.err.println("[memory] " + line);
    }

    private static void print(Map<String, List<Row>> results) {
        List<String> names = new ArrayList<>(results.keySet());
        StringBuilder head = new StringBuilder("| phase |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String what : List.of("RSS median MiB", "RSS peak MiB", "heap after GC MiB", "WMS stored msg/s")) {
            for (String name : names) {
                head.append(' ').append(what).append(" (").append(name).append(") |");
                rule.append("---|");
            }
        }
        System.out.println(head);
        System.out.println(rule);
        int phases = results.values().stream().mapToInt(List::size).min().orElse(0);
        for (int i = 0; i < phases; i++) {
            StringBuilder line = new StringBuilder("| ").append(results.get(names.get(0)).get(i).phase()).append(" |");
            for (String name : names) {
                line.append(String.format(" %.0f |", results.get(name).get(i).rssMedianKb() / 1024.0));
            }
            for (String name : names) {
                line.append(String.format(" %.0f |", results.get(name).get(i).rssPeakKb() / 1024.0));
            }
            for (String name : names) {
                line.append(String.format(" %.1f |", results.get(name).get(i).heapAfterGcMb()));
            }
            for (String name : names) {
                line.append(String.format(" %,.0f |", results.get(name).get(i).messagesPerSecond()));
            }
            System.out.println(line);
        }
    }
}
