package site.gateway.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit thread: every {@code syncIntervalMs} it commits and syncs whatever was appended
 * meanwhile. With an interval of 0 it runs as soon as an appender waits for its seq to be synced.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    private final QueueStore queue;
    private final Thread thread;
    private final Object monitor = new Object();
    private volatile boolean running = true;
    private volatile long committedUpTo;
    private volatile long syncedUpTo;
    private long requested;
    private boolean woken;
    private int failures;

    Committer(QueueStore queue, String name) {
        this.queue = queue;
        this.thread = new Thread(this::run, "gateway-buffer-commit-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long committedUpTo() {
        return committedUpTo;
    }

    long syncedUpTo() {
        return syncedUpTo;
    }

    /** Blocks until {@code seq} has been synced (used when syncIntervalMs is 0). */
    void awaitSynced(long seq) {
        synchronized (monitor) {
            if (seq > requested) {
                requested = seq;
                monitor.notifyAll();
            }
            boolean interrupted = false;
            while (syncedUpTo < seq && running) {
                try {
                    monitor.wait(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Re-reads the interval (after reconfiguration). */
    void wake() {
        synchronized (monitor) {
            woken = true;
            monitor.notifyAll();
        }
    }

    /** Runs a cycle on the calling thread. */
    void cycleNow() {
        cycle();
    }

    void stop() {
        running = false;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            try {
                waitForWork();
                if (running) {
                    cycle();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void waitForWork() throws InterruptedException {
        synchronized (monitor) {
            long interval = queue.limits().syncIntervalMs();
            if (interval > 0) {
                long deadline = System.nanoTime() + interval * 1_000_000L;
                long left;
                while (running && !woken && (left = deadline - System.nanoTime()) > 0) {
                    monitor.wait(Math.max(1, left / 1_000_000L));
                }
            } else {
                while (running && !woken && requested <= syncedUpTo) {
                    monitor.wait(1000);
                }
            }
            woken = false;
        }
    }

    private void cycle() {
        long upTo;
        try {
            upTo = queue.commitCycle();
            failures = 0;
        } catch (RuntimeException e) {
            if (queue.isClosed()) {
                return;
            }
            // Keep trying: a full disk may free up. Log the first failures only.
            if (failures++ < 3) {
                LOG.error("Buffer commit failed: {}", e.toString(), e);
            }
            return;
        }
        if (upTo < 0) {
            return;
        }
        synchronized (monitor) {
            committedUpTo = Math.max(committedUpTo, upTo);
            syncedUpTo = Math.max(syncedUpTo, upTo);
            monitor.notifyAll();
        }
    }
}
