package site.gateway.support.thread;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for a component's background work: daemons, so that a task still running never keeps the JVM
 * from exiting, and named, so that a thread dump says whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Makes daemon threads all called {@code name}. */
    public static ThreadFactory named(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
