package site.gateway.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;

/**
 * Measures what auditing costs a data path: a loop that builds a ~300-byte telemetry message per
 * iteration, with and without an {@code AuditTrail.record()} per message, alternating in one JVM.
 * Not a test (in this package because the writer is internal to the audit bundle); run:
 * <pre>
 * mvn -B -q -o install -pl tools/bench -am -DskipTests
 * java -cp tools/bench/target/benchmarks.jar site.gateway.audit.AuditCostHarness
 * </pre>
 */
public final class AuditCostHarness {
    private static final long WINDOW_NS = 2_000_000_000L;
    private static long sink;

    private AuditCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("audit-cost");
        // As the gateway runs by default: every entry HMAC-authenticated.
        MacKey key = MacKey.loadOrCreate(Files.createTempDirectory("audit-cost-key").resolve("audit-mac.key"));
        AuditWriter writer = new AuditWriter(new AuditWriter.Settings(dir, 10L * 1024 * 1024, 0, 10_000, 1000, 5000, key),
                (reason, failure) -> { });
        writer.start();
        AuditTrail trail = writer::submit;
        try {
            loop(null, WINDOW_NS / 2); // warm-up
            loop(trail, WINDOW_NS / 2);
            List<Double> without = new ArrayList<>();
            List<Double> with = new ArrayList<>();
            List<Double> everyThousandth = new ArrayList<>();
            long lostBefore = writer.lostTotal();
            long writtenBefore = writer.writtenTotal();
            long withNanos = 0;
            for (int r = 0; r < rounds; r++) {
                without.add(loop(null, WINDOW_NS));
                long t0 = System.nanoTime();
                with.add(loop(trail, WINDOW_NS));
                withNanos += System.nanoTime() - t0;
                everyThousandth.add(loopSampled(trail, WINDOW_NS, 1000));
            }
            long written = writer.writtenTotal() - writtenBefore;
            long lost = writer.lostTotal() - lostBefore;
            System.out.printf("data path without audit:            %,.0f messages/s (median of %d x 2 s; runs %s)%n",
                    median(without), rounds, fmt(without));
            System.out.printf("data path with record() per message: %,.0f messages/s (runs %s)%n", median(with),
                    fmt(with));
            System.out.printf("data path with record() per 1000:    %,.0f messages/s (runs %s)%n",
                    median(everyThousandth), fmt(everyThousandth));
            System.out.printf("writer: %,d entries written, %,d lost to the full queue (%,.0f entries/s on disk "
                    + "while the loop recorded every message)%n", written, lost, written / (withNanos / 1e9));
        } finally {
            writer.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Messages per second of the loop for about {@code windowNs}; null trail: no auditing. */
    private static double loop(AuditTrail trail, long windowNs) {
        return loopSampled(trail, windowNs, trail == null ? 0 : 1);
    }

    /** The same loop for every variant (one compiled shape); auditEvery 0: never. */
    private static double loopSampled(AuditTrail trail, long windowNs, int auditEvery) {
        long start = System.nanoTime();
        long end = start + windowNs;
        long n = 0;
        StringBuilder b = new StringBuilder(400);
        while ((n & 1023) != 0 || System.nanoTime() < end) {
            b.setLength(0);
            b.append("{\"type\":\"telemetry\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\",\"plcId\":\"plc-1\",")
                    .append("\"ts\":").append(1_764_259_201_000L + n).append(",\"readings\":[{\"tag\":\"conveyor1.speed\",")
                    .append("\"value\":").append(n % 1000 / 10.0).append(",\"quality\":\"good\",\"ts\":")
                    .append(1_764_259_200_990L + n).append("},{\"tag\":\"conveyor1.running\",\"value\":true,")
                    .append("\"quality\":\"good\",\"ts\":").append(1_764_259_200_990L + n).append("}]}");
            sink += b.length();
            if (auditEvery > 0 && n % auditEvery == 0) {
                trail.record(new AuditEvent("plc", "telemetry.read", "plc-1", "ok", Map.of("n", n)));
            }
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format("%,.0f", v)).toList().toString();
    }
}
