package site.gateway.crypto;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stops a component's thread and waits briefly, so no task runs after deactivation. */
public final class Stopping {
    private Stopping() {
    }

    public static void stop(ExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
