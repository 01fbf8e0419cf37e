package site.gateway.crypto.rotation;

import java.time.Duration;

/** Retry delays for a failed renewal: from the first delay, doubling, up to the longest (§5). */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** Counts a failure and returns the delay before the next attempt. */
    Duration failed() {
        Duration d = initial;
        for (int i = 0; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        failures++;
        return d.compareTo(max) > 0 ? max : d;
    }

    void succeeded() {
        failures = 0;
    }
}
