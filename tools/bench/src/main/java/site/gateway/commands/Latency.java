package site.gateway.commands;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of durations in nanoseconds, printed in milliseconds. */
final class Latency {
    private final long[] sorted;

    Latency(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    /** Nearest-rank percentile. */
    double percentileMillis(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "n=%d p50=%.3f ms p99=%.3f ms max=%.3f ms", sorted.length,
                percentileMillis(50), percentileMillis(99), sorted[sorted.length - 1] / 1e6);
    }
}
