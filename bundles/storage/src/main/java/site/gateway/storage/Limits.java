package site.gateway.storage;

/**
 * The live limits of a store; replaced as a whole on reconfiguration.
 *
 * @param maxBytes       stored bytes allowed (payload plus per-message overhead)
 * @param whenFull       policy when full
 * @param syncIntervalMs how often the committer commits and syncs; 0 = every append waits for its sync
 */
public record Limits(long maxBytes, FullPolicy whenFull, long syncIntervalMs) {
    public static final long MIN_BYTES = 1024;

    public Limits {
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_BYTES + ", not " + maxBytes);
        }
        if (syncIntervalMs < 0 || syncIntervalMs > 60_000) {
            throw new IllegalArgumentException("syncIntervalMs must be 0..60000, not " + syncIntervalMs);
        }
        if (whenFull == null) {
            throw new IllegalArgumentException("whenFull is required");
        }
    }

    /** Alerts and command results may use this much beyond {@code maxBytes} under reject-new. */
    long keptHeadroom() {
        return Math.max(64 * 1024, maxBytes / 100);
    }
}
