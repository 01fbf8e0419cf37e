package site.gateway.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 16.2: the real distribution ({@code bin/gateway} as a process, shipped defaults) against the WMS
 * sandbox over TLS 1.3 WebSocket on loopback, side by side with its ceilings measured in the same run:
 * <ol>
 * <li>delivery latency at the seed load (one simulated PLC every 50 ms, 20 msg/s): PLC sample time
 * ({@code ts}) → the sandbox has the message, p50/p99, with the gateway's CPU and RSS; with
 * {@code -Dlatency.rates=20,200,1000,5000} the same at each of those steady rates in turn (a latency-against-load
 * curve; simulated PLCs of 3 tags, at most 100 msg/s each);</li>
 * <li>the drain of a backlog of {@code backlog} messages (filled with the WMS down) in msg/s, from the first
 * to the last message the sandbox stored, with the gateway's CPU and RSS;</li>
 * <li>the transport's ceiling: {@link BareWebSocketCeiling} sends as many of the telemetry messages the gateway
 * sent, batched as the gateway batches, to the same sandbox: with a bare Jetty 12 client offering permessage-deflate
 * as the gateway does (the ceiling the target applies to), then with the JDK's client, uncompressed;</li>
 * <li>the store's ceiling ({@link StoreCeiling}, in a JVM of its own): the gateway's store ({@code OutboxStore},
 * shipped {@code syncIntervalMs} 10) and a bare MVStore map holding the same keys and values, each appending, reading
 * and acknowledging {@code backlog} messages (OutboxBench's code), one warm-up pass each, then {@value #STORE_RUNS}
 * timed passes each in turn: medians.</li>
 * </ol>
 * The sandbox runs in this JVM for both the gateway and the bare client. Prints a markdown table. Run from the
 * repository root after {@code mvn -B -ntp -DskipTests install}: {@code tools/bench/end-to-end.sh [backlog] [latencySeconds]}.
 * A figure, not a test: nothing is asserted.
 */
public final class EndToEndHarness {
    private static final String CEILING_GATEWAY = "bench-ceiling";
    private static final int CONSOLE_PORT = Integer.getInteger("console.port", 38180);
    /** The gateway's batch frame (batchMaxItems default) and WebSocket window (SessionEngine.WS_FRAMES_IN_FLIGHT). */
    private static final int BATCH_ITEMS = 1000;
    private static final int FRAMES_IN_FLIGHT = 8;
    /** Timed passes of the store and of the bare map, taken in turn. */
    private static final int STORE_RUNS = 5;
    private static final long SHIPPED_MAX_BYTES = 512L << 20;
    private static final long BYTES_PER_MESSAGE = 1024;
    /** This JVM: the sandbox (and the bare client in its run). */
    private static final long SELF = ProcessHandle.current().pid();

    private final DistributionRig rig = new DistributionRig(CONSOLE_PORT);
    private final int fillPlcs = Integer.getInteger("fill.plcs", 100);
    /** Steady rates (msg/s) of the latency phase, in turn; the default is the seed load alone. */
    private final int[] latencyRates = Arrays.stream(System.getProperty("latency.rates", "20").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).toArray();
    private final long backlog;
    private final int latencySeconds;
    private final List<String[]> rows = new ArrayList<>();
    /** CPU milliseconds the gateway and the sandbox's JVM spent per 1,000 drained messages. */
    private double drainCpuMsPerThousand;

    private EndToEndHarness(long backlog, int latencySeconds) {
        this.backlog = backlog;
        this.latencySeconds = latencySeconds;
    }

    public static void main(String[] args) throws Exception {
        PrintStream table = System.out;
        System.setOut(System.err); // standard output carries the table only (OutboxBench prints its file sizes)
        EndToEndHarness harness = new EndToEndHarness(args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L,
                args.length > 1 ? Integer.parseInt(args[1]) : 60);
        harness.rig.requireBuilt();
        harness.run();
        harness.print(table);
        System.exit(0);
    }

    private void run() throws Exception {
        Path home = Dirs.temp("gateway-e2e");
        Process gateway = null;
        rig.writePki(home);
        DevPki pki = DevPki.load(home.resolve("certs"));
        // Every message of a latency window must still be retained when the window is read (oldest evicted first).
        int retained = (int) Math.max(50_000, 1.25 * latencySeconds * Arrays.stream(latencyRates).max().orElse(20));
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(10).maxRetainedMessages(retained).start()) {
            rig.writeConf(home, wms.port());
            roomForTheBacklog(home);
            gateway = rig.startGateway(home, null);
            Process started = gateway;
            Thread cleanup = new Thread(started::destroy); // an interrupted run leaves no gateway behind
            Runtime.getRuntime().addShutdownHook(cleanup);
            long pid = gateway.pid();
            log("gateway pid " + pid + ", home " + home + ", load " + DistributionRig.loadAverage());
            wms.awaitSession(DistributionRig.GATEWAY, DistributionRig.PATIENCE);

            for (int rate : latencyRates) {
                latency(wms, home, pid, rate);
            }
            double drain = drain(wms, home, pid);
            DistributionRig.stop(gateway);
            Runtime.getRuntime().removeShutdownHook(cleanup);

            ceiling(wms, pki, CeilingLink.Kind.JETTY_DEFLATE, drain, true);
            ceiling(wms, pki, CeilingLink.Kind.JDK_UNCOMPRESSED, drain, false);

            String load = DistributionRig.loadAverage();
            StoreCeiling.Result r = StoreCeiling.forked(backlog, STORE_RUNS);
            log("store passes " + r.store() + ", bare map passes " + r.bareMap() + ", ratios " + r.ratios());
            row(String.format("store: append + read + ack of %,d messages, syncIntervalMs %d (msg/s, median of %d passes after one warm-up"
                    + " each; ratio: median of the %d pairs' ratios)", backlog, StoreCeiling.SHIPPED_SYNC_MS, STORE_RUNS, STORE_RUNS),
                    fmt(r.storeMedian()), fmt(r.bareMapMedian()) + " (bare MVStore map, same puts/removes of the same values, same sync spacing)",
                    String.format("%.2f", r.ratioMedian()), load);
        } finally {
            DistributionRig.stop(gateway);
            Dirs.delete(home);
        }
    }

    /**
     * The shipped {@code maxBytes} (512 MiB) holds well under 3.6 million of the fill PLCs' messages (a few hundred
     * bytes each as counted, JSON plus 17): beyond it drop-oldest keeps the backlog from growing, and the fill would
     * wait for a backlog that never comes. The bench home gets {@value #BYTES_PER_MESSAGE} bytes a message of the
     * backlog (at least the shipped limit); every other setting stays at the shipped defaults.
     */
    private void roomForTheBacklog(Path home) throws IOException {
        long maxBytes = Math.max(SHIPPED_MAX_BYTES, backlog * BYTES_PER_MESSAGE);
        Files.writeString(home.resolve("conf/gateway.buffer.cfg"), "\nmaxBytes = " + maxBytes + "\n", StandardOpenOption.APPEND);
        log(String.format("buffer maxBytes %,d for a backlog of %,d", maxBytes, backlog));
    }

    /**
     * A steady {@code rate} for the phase: PLC sample → sandbox latencies of the messages of this rate's PLCs received
     * in it, the rate stored, CPU and RSS. Simulated PLCs poll every 10 ms at most (100 msg/s each), so {@code rate}
     * above 100 takes ceil(rate / 100) of them; below, one PLC polls every 1000 / rate ms (20 msg/s: the seed load).
     */
    private void latency(WmsSandbox wms, Path home, long pid, int rate) throws Exception {
        int plcs = Math.max(1, (rate + 99) / 100);
        int pollMs = (int) Math.round(1000.0 * plcs / rate);
        String name = "rate" + rate + "x";
        String prefix = name + "-"; // plcIds name-1..name-N: stragglers of the previous rate are not counted
        long stored0 = wms.storedCount(DistributionRig.GATEWAY);
        rig.writePlcs(home, name, plcs, pollMs, 3);
        DistributionRig.awaitCondition("the first 200 messages at " + rate + " msg/s",
                () -> wms.storedCount(DistributionRig.GATEWAY) > stored0 + 200);
        TimeUnit.SECONDS.sleep(10); // past the PLCs' and (at the first rate) the session's first seconds
        String load = DistributionRig.loadAverage();
        Instant from = Instant.now();
        double cpu0 = DistributionRig.cpuSeconds(pid);
        long t0 = System.nanoTime();
        List<Long> rss = new ArrayList<>();
        for (int i = 0; i < latencySeconds; i++) {
            TimeUnit.SECONDS.sleep(1);
            rss.add(DistributionRig.rssKb(pid));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (DistributionRig.cpuSeconds(pid) - cpu0) / seconds;
        Instant to = Instant.now();
        DistributionRig.removePlcs(home, name);
        settle(wms, home);
        List<Long> millis = new ArrayList<>();
        for (ReceivedMessage m : wms.receivedDurable(DistributionRig.GATEWAY)) {
            if (m.receivedAt().isAfter(from) && m.receivedAt().isBefore(to) && m.json().path("plcId").asText().startsWith(prefix)) {
                millis.add(m.receivedAt().toEpochMilli() - m.json().path("ts").asLong());
            }
        }
        List<Long> sorted = millis.stream().sorted().toList();
        String p50 = sorted.isEmpty() ? "-" : sorted.get(sorted.size() / 2) + " ms";
        String p99 = sorted.isEmpty() ? "-" : sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.99))) + " ms";
        String offered = String.format("%,d msg/s", rate);
        log("latency at " + offered + ": " + sorted.size() + " messages, p50 " + p50 + ", p99 " + p99);
        row(String.format("delivery latency at %s (%d simulated PLC%s every %d ms; %,.0f msg/s stored in the window), PLC sample → WMS has it,"
                + " p50 / p99 (%,d messages in %d s)", offered, plcs, plcs > 1 ? "s" : "", pollMs, sorted.size() / seconds, sorted.size(),
                latencySeconds), p50 + " / " + p99, "-", "-", load);
        row("gateway CPU / RSS at " + offered, String.format("%.1f %% of one core / %d MiB (median), %d MiB (peak)", 100 * cpu,
                DistributionRig.median(rss) / 1024, DistributionRig.max(rss) / 1024), "-", "-", load);
    }

    /**
     * Until this rate's PLCs have stopped and the WMS has acknowledged everything: a message the WMS stored but had
     * not acknowledged when the next phase begins would be counted twice by the drain's target (stored + buffered),
     * which then never comes (at 5,000 msg/s there are always some in flight).
     */
    private void settle(WmsSandbox wms, Path home) throws Exception {
        long stored = -1;
        while (stored != wms.storedCount(DistributionRig.GATEWAY) || rig.buffered(home) != 0) {
            stored = wms.storedCount(DistributionRig.GATEWAY);
            TimeUnit.SECONDS.sleep(2); // the PLCs stop within a FileInstall poll (500 ms) or two
        }
    }

    /**
     * The last (up to {@value #BATCH_ITEMS}) telemetry messages the gateway sent, without their seq and as
     * another gateway's: the bare client sends these in turn, so its frames compress as the gateway's do.
     */
    private static List<String> telemetryTemplates(WmsSandbox wms, String gatewayId) {
        List<ReceivedMessage> received = wms.receivedDurable(DistributionRig.GATEWAY);
        List<String> templates = new ArrayList<>();
        for (ReceivedMessage m : received.subList(Math.max(0, received.size() - BATCH_ITEMS), received.size())) {
            if ("telemetry".equals(m.json().path("type").asText())) {
                ObjectNode message = ((ObjectNode) m.json()).deepCopy();
                message.remove("seq");
                message.put("gatewayId", gatewayId);
                templates.add(message.toString());
            }
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("the sandbox kept no telemetry message of " + DistributionRig.GATEWAY);
        }
        return templates;
    }

    /**
     * A bare client of {@code kind}, registered as another gateway of the tenant, sends {@code backlog} of the
     * gateway's telemetry messages, batched as the gateway batches, to the same sandbox. {@code target}: the
     * ceiling issue 16's drain target is measured against.
     */
    private void ceiling(WmsSandbox wms, DevPki pki, CeilingLink.Kind kind, double drain, boolean target) throws Exception {
        String gatewayId = CEILING_GATEWAY + "-" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        String load = DistributionRig.loadAverage();
        BareWebSocketCeiling bare = new BareWebSocketCeiling(pki.issueGatewayCertificate(pki.tenantId(), gatewayId,
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1))), pki.caCertificate(),
                pki.tenantId(), gatewayId);
        double cpu0 = DistributionRig.cpuSeconds(SELF);
        long t0 = System.nanoTime();
        BareWebSocketCeiling.Result run = bare.send(kind, wms, telemetryTemplates(wms, gatewayId), backlog, BATCH_ITEMS, FRAMES_IN_FLIGHT);
        double ceiling = backlog / run.seconds();
        String compression = run.deflate() ? "permessage-deflate on" : "uncompressed";
        double cpuSeconds = DistributionRig.cpuSeconds(SELF) - cpu0;
        double cpuMsPerThousand = cpuSeconds * 1e6 / backlog;
        row("CPU during the bare client's run (" + kind.description + ")", "-", String.format(
                "sandbox's JVM with the bare client: %.0f %% of one core", 100 * cpuSeconds / ((System.nanoTime() - t0) / 1e9)), "-", load);
        row("CPU time per 1,000 messages: gateway + sandbox's JVM, against the sandbox's JVM with the " + kind.description
                + " (ratio: ceiling / gateway)", String.format("%.0f ms", drainCpuMsPerThousand), String.format("%.0f ms", cpuMsPerThousand),
                ratio(cpuMsPerThousand, drainCpuMsPerThousand), load);
        log(String.format("%s (%s): %,d messages in %.1f s = %,.0f msg/s", kind.description, compression, backlog, run.seconds(), ceiling));
        row(String.format("drain of %,d messages, WMS up → all stored (msg/s)%s", backlog, target ? "" : ", against the uncompressed client"),
                fmt(drain), fmt(ceiling) + " (" + kind.description + ", " + compression + "; same messages and batches, same sandbox)",
                ratio(drain, ceiling), load);
    }

    /** WMS down while the fill PLCs buffer {@code backlog} messages; then WMS up until all are stored. */
    private double drain(WmsSandbox wms, Path home, long pid) throws Exception {
        wms.goOffline();
        rig.writePlcs(home, "fill", fillPlcs, 10, 3);
        long t0 = System.nanoTime();
        DistributionRig.awaitCondition("a backlog of " + backlog, () -> rig.buffered(home) >= backlog);
        log(String.format("filled %,d in %.0f s", rig.buffered(home), (System.nanoTime() - t0) / 1e9));
        DistributionRig.removePlcs(home, "fill");
        long settled = -1;
        long buffered = rig.buffered(home);
        while (settled != buffered) { // the fill PLCs stop within a poll or two
            settled = buffered;
            TimeUnit.SECONDS.sleep(3);
            buffered = rig.buffered(home);
        }
        String load = DistributionRig.loadAverage();
        long stored0 = wms.storedCount(DistributionRig.GATEWAY);
        long target = stored0 + buffered;
        double cpu0 = DistributionRig.cpuSeconds(pid);
        double sandboxCpu0 = DistributionRig.cpuSeconds(SELF);
        List<Long> rss = new ArrayList<>();
        DrainProfile.start(pid);
        wms.goOnline();
        long start = System.nanoTime();
        long first = 0;
        long lastSample = 0;
        long stored = stored0;
        while (stored < target) {
            TimeUnit.MILLISECONDS.sleep(20);
            long now = System.nanoTime();
            stored = wms.storedCount(DistributionRig.GATEWAY);
            if (first == 0 && stored > stored0) {
                first = now;
            }
            if (now - lastSample >= 1_000_000_000L) {
                rss.add(DistributionRig.rssKb(pid));
                lastSample = now;
            }
            if (now - start > DistributionRig.PATIENCE.toNanos()) {
                throw new IllegalStateException("the drain did not end: " + (stored - stored0) + " of " + buffered);
            }
        }
        long end = System.nanoTime();
        DrainProfile.stop(pid);
        double cpu = (DistributionRig.cpuSeconds(pid) - cpu0) / ((end - start) / 1e9);
        double sandboxCpu = (DistributionRig.cpuSeconds(SELF) - sandboxCpu0) / ((end - start) / 1e9);
        double rate = buffered / ((end - first) / 1e9);
        drainCpuMsPerThousand = (cpu + sandboxCpu) * ((end - start) / 1e9) * 1e6 / buffered;
        log(String.format("drained %,d in %.1f s = %,.0f msg/s", buffered, (end - first) / 1e9, rate));
        row("CPU / RSS during the drain", String.format("gateway %.0f %% of one core / %d MiB (median), %d MiB (peak); sandbox's JVM %.0f %%",
                100 * cpu, DistributionRig.median(rss) / 1024, DistributionRig.max(rss) / 1024, 100 * sandboxCpu), "-", "-", load);
        return rate;
    }

    private void row(String measure, String endToEnd, String ceiling, String ratio, String load) {
        rows.add(new String[] {measure, endToEnd, ceiling, ratio, load});
    }

    private static String fmt(double rate) {
        return String.format("%,.0f", rate);
    }

    private static String ratio(double value, double ceiling) {
        return String.format("%.2f", value / ceiling);
    }

    private void print(PrintStream out) {
        out.println("| measure | real distribution | ceiling, same run | ratio | load average |");
        out.println("|---|---|---|---|---|");
        for (String[] r : rows) {
            out.println("| " + String.join(" | ", r) + " |");
        }
    }

    private static void log(String line) {
        System.err.println("[end-to-end] " + line);
    }
}
