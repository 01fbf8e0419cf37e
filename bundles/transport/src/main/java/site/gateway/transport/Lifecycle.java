package site.gateway.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Phase} and the attempt's epoch. Every asynchronous answer carries the epoch it was
 * started in; leaving an attempt (back to WAITING or STOPPED) starts a new epoch, so late answers of an
 * abandoned attempt are recognised and ignored.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private volatile Phase phase = Phase.STOPPED;
    private long epoch;

    Phase phase() {
        return phase;
    }

    long epoch() {
        return epoch;
    }

    boolean isCurrent(long attemptEpoch) {
        return attemptEpoch == epoch && phase != Phase.STOPPED;
    }

    void moveTo(Phase target) {
        Phase from = phase;
        if (from == target && target != Phase.REGISTERING) {
            return;
        }
        if (!from.canMoveTo(target)) {
            throw new IllegalStateException("session cannot move from " + from + " to " + target);
        }
        if (target == Phase.WAITING || target == Phase.STOPPED) {
            epoch++;
        }
        phase = target;
        LOG.debug("session {} -> {}", from, target);
    }
}
