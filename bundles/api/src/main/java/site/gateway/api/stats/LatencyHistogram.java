package site.gateway.api.stats;

import java.util.List;

/**
 * A snapshot of a latency histogram, in seconds: how many observations fell into each bucket and their sum.
 * Bucket {@code i} counts the observations above bound {@code i-1} and at most bound {@code i}; the last
 * bucket (one more than there are bounds) counts those above the largest bound. Counts are per bucket, not
 * cumulative.
 *
 * @param upperBounds bucket upper bounds in seconds, ascending
 * @param counts      observations per bucket; {@code upperBounds.size() + 1} entries
 * @param sum         sum of all observations in seconds
 */
public record LatencyHistogram(List<Double> upperBounds, List<Long> counts, double sum) {

    public LatencyHistogram {
        upperBounds = List.copyOf(upperBounds);
        counts = List.copyOf(counts);
        if (counts.size() != upperBounds.size() + 1) {
            throw new IllegalArgumentException(counts.size() + " counts for " + upperBounds.size() + " bounds");
        }
    }

    /** Number of observations. */
    public long count() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }
}
