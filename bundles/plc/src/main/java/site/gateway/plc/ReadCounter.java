package site.gateway.plc;

import java.util.concurrent.atomic.AtomicLong;

import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.stats.LatencyRecorder;

/** Reads sent to one PLC, those that failed, and how long the successful ones took; for the metrics. */
final class ReadCounter {
    /** From a fast local PLC (about a millisecond) to a slow gateway-routed one near the request timeout. */
    static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final LatencyRecorder latency = new LatencyRecorder(BOUNDS_SECONDS);

    void succeeded(long nanos) {
        reads.incrementAndGet();
        latency.recordNanos(nanos);
    }

    void failed() {
        reads.incrementAndGet();
        errors.incrementAndGet();
    }

    PlcReadStats snapshot(String plcId, String driver) {
        // errors first: a read counted between the two loads can never make errors exceed reads
        long failed = errors.get();
        return new PlcReadStats(plcId, driver, reads.get(), failed, latency.snapshot());
    }
}
