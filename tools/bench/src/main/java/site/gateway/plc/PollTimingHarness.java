package site.gateway.plc;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import site.gateway.plc.modbus.ModbusDriver;


/**
 * Poll jitter and read latency of one managed PLC (4 tags) against a j2mod Modbus TCP server on
 * 127.0.0.1: interval between polls and read latency, p50/p99/max, and the ratio of the median interval
 * to the configured one. (In this package because the engine's recorders are internal to the plc bundle.)
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.plc.PollTimingHarness [polls] [pollIntervalMs]</pre>
 */
public final class PollTimingHarness {
    private PollTimingHarness() {
    }

    public static void main(String[] args) throws Exception {
        int polls = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 100;
        try (ModbusTestServer server = new ModbusTestServer(); TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            server.start();
            plc.activate(TestPlc.config("plcId", "timing", "connection", server.connection(), "pollIntervalMs",
                    String.valueOf(intervalMs), "tags", "a=holding-register:1:INT,b=holding-register:2:INT,"
                            + "c=holding-register:3:REAL,d=coil:1", "requestTimeoutMs", "1000"));
            PlcEngine engine = plc.engine();
            Duration hang = Duration.ofMillis(polls * intervalMs * 5 + 60_000);
            await(hang, () -> engine.readLatency().count() >= 5); // connected and warm
            engine.pollIntervals().clear();
            engine.readLatency().clear();
            await(hang, () -> engine.pollIntervals().count() >= polls);

            IntervalRecorder intervals = engine.pollIntervals();
            IntervalRecorder latency = engine.readLatency();
            System.out.printf(Locale.ROOT, "PollTiming: %d polls at %d ms: interval p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                    + "(median / configured %.3f); read latency (4 tags) p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    intervals.count(), intervalMs, intervals.percentileMs(50), intervals.percentileMs(99),
                    intervals.percentileMs(100), intervals.percentileMs(50) / intervalMs,
                    latency.percentileMs(50), latency.percentileMs(99), latency.percentileMs(100));
        }
    }

    private static void await(Duration hang, BooleanSupplier condition) {
        long deadline = System.nanoTime() + hang.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the PLC did not poll within " + hang);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
