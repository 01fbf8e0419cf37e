package site.gateway.plc;

import java.util.Arrays;

/** The last N durations (nanoseconds), with percentiles; for poll jitter and read latency. Thread-safe. */
final class IntervalRecorder {
    private final long[] values;
    private int next;
    private int size;

    IntervalRecorder(int capacity) {
        values = new long[capacity];
    }

    synchronized void record(long nanos) {
        values[next] = nanos;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    synchronized int count() {
        return size;
    }

    /** The p-th percentile (0..100) in milliseconds, nearest-rank; NaN when empty. */
    synchronized double percentileMs(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
    }

    synchronized void clear() {
        next = 0;
        size = 0;
    }
}
