package site.gateway.storage;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.thread.DaemonThreads;

/**
 * The group-commit thread, demand-driven: a change (append, ack, drop) signals it, and it commits and
 * syncs as soon as the previous cycle is at least {@code syncIntervalMs} old. Whatever arrives while a
 * sync runs is covered by the next one, so the sync rate adapts to the disk. After each cycle it
 * announces the highest seq now on the device ({@code onDurable}): only those may be sent.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    /** An idle committer still wakes this often (housekeeping of the file). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final OutboxStore queue;
    private final Thread thread;
    private final Object monitor = new Object();
    private final AtomicBoolean work = new AtomicBoolean();
    private final LongConsumer onDurable;
    private volatile boolean running = true;
    private volatile long committedUpTo;
    private volatile long syncedUpTo;
    private long lastCycleStart;
    private int failures;

    Committer(OutboxStore queue, String name, long durableAtStart, LongConsumer onDurable) {
        this.queue = queue;
        this.onDurable = onDurable;
        this.committedUpTo = durableAtStart;
        this.syncedUpTo = durableAtStart;
        this.thread = DaemonThreads.named("gateway-buffer-commit-" + name).newThread(this::run);
        this.lastCycleStart = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
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

    /** Something changed: commit soon. Cheap when a cycle is already requested. */
    void signal() {
        if (!work.get() && work.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    /** Blocks until {@code seq} has been synced (used when syncIntervalMs is 0). */
    void awaitSynced(long seq) {
        signal();
        synchronized (monitor) {
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
        LockSupport.unpark(thread);
    }

    /** Runs a cycle on the calling thread. */
    void cycleNow() {
        cycle();
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    private void run() {
        while (running) {
            if (!work.get()) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            // Space cycles at least syncIntervalMs apart; appends meanwhile join the next cycle.
            long left;
            while (running && (left = lastCycleStart + queue.limits().syncIntervalMs() * 1_000_000L
                    - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, left);
            }
            if (!running) {
                return;
            }
            work.set(false);
            lastCycleStart = System.nanoTime();
            cycle();
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
            if (upTo <= syncedUpTo) {
                return;
            }
            committedUpTo = Math.max(committedUpTo, upTo);
            syncedUpTo = upTo;
            monitor.notifyAll();
            // under the monitor, so that listeners hear increasing values even when flush() races
            if (onDurable != null) {
                try {
                    onDurable.accept(upTo);
                } catch (RuntimeException e) {
                    LOG.warn("Announcing durable seq {} failed: {}", upTo, e.toString());
                }
            }
        }
    }
}
