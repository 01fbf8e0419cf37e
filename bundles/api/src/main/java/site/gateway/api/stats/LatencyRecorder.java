package site.gateway.api.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records durations into fixed buckets; thread-safe and allocation-free per observation, so the services that
 * time their work (PLC reads, commands) share one implementation and hand out {@link LatencyHistogram}s.
 */
public final class LatencyRecorder {
    private final double[] upperBounds;
    private final long[] counts;
    private double sum;

    /** @param upperBounds bucket upper bounds in seconds, strictly ascending */
    public LatencyRecorder(double... upperBounds) {
        for (int i = 1; i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bounds not ascending: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.counts = new long[upperBounds.length + 1];
    }

    public void recordNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int bucket = Arrays.binarySearch(upperBounds, seconds);
        // Not found: the insertion point is the first bound above the value (a bound itself is inclusive).
        int index = bucket >= 0 ? bucket : -bucket - 1;
        synchronized (this) {
            counts[index]++;
            sum += seconds;
        }
    }

    public synchronized LatencyHistogram snapshot() {
        List<Double> bounds = new ArrayList<>(upperBounds.length);
        for (double b : upperBounds) {
            bounds.add(b);
        }
        List<Long> perBucket = new ArrayList<>(counts.length);
        for (long c : counts) {
            perBucket.add(c);
        }
        return new LatencyHistogram(bounds, perBucket, sum);
    }
}
