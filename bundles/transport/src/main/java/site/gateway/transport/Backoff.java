package site.gateway.transport;

import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter (§4): the n-th delay is uniform in [0, min(max, initial * factor^n)].
 * Reads the current settings on every call, so a configuration change applies to the next delay.
 */
final class Backoff {
    private final LongUnaryOperator random; // bound -> uniform value in [0, bound]
    private int attempts;

    Backoff(LongUnaryOperator random) {
        this.random = random;
    }

    /** The delay before the next attempt, counting this failure. */
    long next(Settings s) {
        double bound = s.backoffInitialMs() * Math.pow(s.backoffFactor(), attempts);
        if (attempts < 64) {
            attempts++;
        }
        long cap = (long) Math.min((double) s.backoffMaxMs(), bound);
        return random.applyAsLong(cap);
    }

    /** The bound the next delay would be drawn under (for logs and tests). */
    long currentBound(Settings s) {
        return (long) Math.min((double) s.backoffMaxMs(), s.backoffInitialMs() * Math.pow(s.backoffFactor(), attempts));
    }

    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
