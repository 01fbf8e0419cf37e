package site.gateway.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The WMS sandbox's intake cost: parse a 1,000-item batch frame with Jackson, validate, deduplicate and
 * keep the ~300-byte telemetry messages, in CPU time of this thread (so a busy machine moves the figure
 * less than wall time would). Prints each run and the median in messages per second per core.
 * (In this package because Intake and WmsState are internal to the sandbox.)
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.sandbox.IntakeHarness [runs] [frames]</pre>
 */
public final class IntakeHarness {
    private IntakeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int frameCount = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String[] frames = new String[frameCount];
        for (int b = 0; b < frames.length; b++) {
            frames[b] = batch(b * 1000L + 1, (b + 1) * 1000L);
        }
        run(frames); // warm-up
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double rate = run(frames);
            rates.add(rate);
            System.out.printf(Locale.ROOT, "run %d: %,.0f messages/s per core of CPU time%n", i + 1, rate);
        }
        Collections.sort(rates);
        System.out.printf(Locale.ROOT, "Sandbox intake (parse, validate, dedup, retain): median %,.0f messages/s per core "
                + "of CPU time over %d runs of %,d messages%n", rates.get(rates.size() / 2), runs, frameCount * 1000L);
    }

    private static double run(String[] frames) throws Exception {
        WmsState state = new WmsState(Duration.ofHours(1), 200_000);
        GatewayLedger ledger = state.ledger("acme", "gw-01");
        Intake intake = new Intake(state, ledger, "ws", 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (String frame : frames) {
            JsonNode batch = Json.parse(frame);
            if (!intake.accept(batch.get("items")).isEmpty()) {
                throw new IllegalStateException("the sandbox rejected a message of " + frame.substring(0, 200));
            }
        }
        long cpuNanos = threads.getCurrentThreadCpuTime() - start;
        if (ledger.lastReceivedSeq() != frames.length * 1000L) {
            throw new IllegalStateException("stored up to " + ledger.lastReceivedSeq());
        }
        return frames.length * 1000 / (cpuNanos / 1e9);
    }

    private static String batch(long from, long to) {
        StringBuilder items = new StringBuilder("{\"type\":\"batch\",\"items\":[");
        for (long seq = from; seq <= to; seq++) {
            items.append(seq == from ? "" : ",").append("{\"type\":\"telemetry\",\"seq\":").append(seq)
                    .append(",\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\",\"plcId\":\"plc-1\",\"ts\":1764259201000,")
                    .append("\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":1.25,\"quality\":\"good\",\"ts\":1764259200990}]}");
        }
        return items.append("]}").toString();
    }
}
