package site.gateway.itests;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition, polling (Awaitility is not available inside the framework). */
public final class Await {
    private Await() {
    }

    /** A condition that may throw while the system is not there yet. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    public static void until(String what, Duration timeout, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception notYet) {
                // The condition may throw while services come and go; keep polling.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
