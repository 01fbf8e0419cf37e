package site.gateway.plc;

/** Exponential reconnect delays: first, first*factor, ... capped at max. Not thread-safe: used on the PLC's thread. */
final class Backoff {
    record Policy(long initialMs, long maxMs, double factor) {
    }

    private final Policy policy;
    private long next;

    Backoff(Policy policy) {
        this.policy = policy;
        this.next = policy.initialMs();
    }

    /** The delay before the next attempt; grows for the one after. */
    long nextDelayMs() {
        long delay = next;
        next = Math.min(policy.maxMs(), (long) Math.ceil(next * policy.factor()));
        return delay;
    }

    void reset() {
        next = policy.initialMs();
    }
}
