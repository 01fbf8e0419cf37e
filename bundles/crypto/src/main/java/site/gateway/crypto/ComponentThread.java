package site.gateway.crypto;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import site.gateway.support.thread.DaemonThreads;

/**
 * A component's one daemon thread for its timed work: made on first use, and stopped at deactivation,
 * waiting briefly so that no task runs after it. {@link #stop} is called outside the component's lock, because
 * a running task may need that lock to finish.
 */
public final class ComponentThread {
    private final String name;
    private ScheduledExecutorService executor;
    private boolean stopped;

    public ComponentThread(String name) {
        this.name = name;
    }

    /** The thread, made on first use; null once stopped. */
    public synchronized ScheduledExecutorService get() {
        if (executor == null && !stopped) {
            executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(name));
        }
        return executor;
    }

    /** The thread if it was made and is not stopped, else null (a late callback then has nothing to do). */
    public synchronized ScheduledExecutorService running() {
        return executor;
    }

    /** Stops the thread and waits up to 5 s for the task it runs. */
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
            stopped = true;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdownNow();
        try {
            stopping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
