package site.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 16.2's store row: the gateway's store ({@code OutboxStore}) and a bare MVStore map holding the same keys and
 * values ({@link OutboxBench.BareMapState}), each appending, reading and acknowledging {@code messages} messages
 * with OutboxBench's code at the shipped {@code syncIntervalMs}, one untimed warm-up pass each, then {@code passes}
 * timed passes taken in turn (a pair runs back to back, so its ratio sees one load). {@link EndToEndHarness} runs it
 * after the distribution in a JVM of its own ({@link #forked}); alone (also to profile one side):
 *
 * <pre>java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp tools/bench/target/benchmarks.jar site.gateway.bench.StoreCeiling [messages=1000000] [passes=5] [both|store|bare]</pre>
 */
public final class StoreCeiling {
    static final long SHIPPED_SYNC_MS = 10;
    /**
     * The JVM of the forked comparison: a fixed, pre-touched heap. In the harness's own JVM (its heap grown by the
     * sandbox, then resized by G1 between passes) first-touch page faults fell on whichever side ran when the heap
     * grew: 12 % of the store side's CPU samples against 2 % of the bare side's in one profile.
     */
    static final List<String> JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
    private static final String RESULT = "RESULT\t";
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * Per-pass rates in msg/s, the pairs' ratios, and per pass the process's CPU time per message in ns (all its
     * threads: appending, committing, MVStore's, JIT and GC), which moves less with other users of the CPU.
     */
    record Result(List<Double> store, List<Double> bareMap, List<Double> ratios, List<Double> storeCpu, List<Double> bareMapCpu) {
        double storeMedian() {
            return median(store);
        }

        double bareMapMedian() {
            return median(bareMap);
        }

        double ratioMedian() {
            return median(ratios);
        }

        /** CPU time per message, the bare map's over the store's (the medians'). */
        double cpuRatio() {
            return median(bareMapCpu) / median(storeCpu);
        }
    }

    /** One pass: msg/s and the process's CPU ns per message. */
    private record Pass(double rate, double cpuNs) {
    }

    private StoreCeiling() {
    }

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String mode = args.length > 2 ? args[2] : "both";
        if ("both".equals(mode)) {
            Result r = compare(messages, passes);
            System.out.printf("store %,.0f msg/s, bare map %,.0f msg/s, ratio %.2f (passes: store %s, bare map %s, ratios %s)%n",
                    r.storeMedian(), r.bareMapMedian(), r.ratioMedian(), r.store(), r.bareMap(), r.ratios());
            System.out.printf("CPU per message (process): store %.0f ns, bare map %.0f ns, bare map / store %.2f (passes: store %s, bare map %s)%n",
                    median(r.storeCpu()), median(r.bareMapCpu()), r.cpuRatio(), r.storeCpu(), r.bareMapCpu());
            System.out.println(RESULT + r.store() + "\t" + r.bareMap() + "\t" + r.ratios() + "\t" + r.storeCpu() + "\t" + r.bareMapCpu());
            return;
        }
        boolean store = "store".equals(mode);
        pass(store, messages);
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < passes; i++) {
            rates.add(pass(store, messages).rate());
        }
        System.out.printf("%s: median %,.0f msg/s (passes %s)%n", mode, median(rates), rates);
    }

    /** {@link #compare} in a fresh JVM ({@link #JVM}) on this classpath; its progress goes to standard error. */
    static Result forked(long messages, int passes) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StoreCeiling.class.getName(),
                Long.toString(messages), Integer.toString(passes), "both"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                } else {
                    System.err.println(line);
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the store comparison failed: " + command);
        }
        String[] lists = result.split("\t");
        return new Result(parse(lists[0]), parse(lists[1]), parse(lists[2]), parse(lists[3]), parse(lists[4]));
    }

    private static List<Double> parse(String list) {
        return Arrays.stream(list.substring(1, list.length() - 1).split(",")).map(String::trim).map(Double::valueOf).toList();
    }

    static Result compare(long messages, int passes) throws Exception {
        pass(true, messages); // warm-up passes, untimed: neither side runs on code the other one's pass compiled
        pass(false, messages);
        List<Double> store = new ArrayList<>();
        List<Double> bareMap = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> storeCpu = new ArrayList<>();
        List<Double> bareMapCpu = new ArrayList<>();
        for (int i = 0; i < passes; i++) {
            Pass s = pass(true, messages);
            Pass b = pass(false, messages);
            store.add(s.rate());
            bareMap.add(b.rate());
            ratios.add(s.rate() / b.rate());
            storeCpu.add(s.cpuNs());
            bareMapCpu.add(b.cpuNs());
        }
        return new Result(store, bareMap, ratios, storeCpu, bareMapCpu);
    }

    /** One pass: OutboxBench's store or bare-map benchmark, run {@code messages / BATCH} times on a fresh directory. */
    private static Pass pass(boolean gatewayStore, long messages) throws Exception {
        OutboxBench bench = new OutboxBench();
        Blackhole bh = OutboxBench.blackhole();
        OutboxBench.StoreState store = new OutboxBench.StoreState();
        OutboxBench.BareMapState bare = new OutboxBench.BareMapState();
        store.syncMs = SHIPPED_SYNC_MS;
        bare.syncMs = SHIPPED_SYNC_MS;
        long rounds = messages / OutboxBench.BATCH;
        if (gatewayStore) {
            store.open();
        } else {
            bare.open();
        }
        long cpu0 = PROCESS.getProcessCpuTime();
        long start = System.nanoTime();
        for (long i = 0; i < rounds; i++) {
            if (gatewayStore) {
                bench.store(store, bh);
            } else {
                bench.bareMap(bare, bh);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuNs = (PROCESS.getProcessCpuTime() - cpu0) / (double) (rounds * OutboxBench.BATCH);
        if (gatewayStore) {
            store.close();
        } else {
            bare.close();
        }
        return new Pass(rounds * OutboxBench.BATCH / seconds, cpuNs);
    }

    static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
