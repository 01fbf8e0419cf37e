package site.gateway.commands;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.thread.DaemonThreads;

/**
 * The FIFO of accepted commands for one PLC (or the gateway itself), executed one at a time by its own
 * thread so that a slow PLC never delays another. The thread ends after {@code idleMillis} without work
 * and the next command starts a new one, so a PLC that was removed keeps no thread. The capacity is
 * passed at each offer, so a new {@code queueCapacity} applies at once.
 */
final class TargetQueue {
    private static final Logger LOG = LoggerFactory.getLogger(TargetQueue.class);

    private final String target;
    private final Consumer<QueuedCommand> executor;
    private final long idleMillis;
    private final Deque<QueuedCommand> waiting = new ArrayDeque<>();
    private Thread worker;
    private boolean stopped;

    TargetQueue(String target, Consumer<QueuedCommand> executor, long idleMillis) {
        this.target = target;
        this.executor = executor;
        this.idleMillis = idleMillis;
    }

    /** Queues the command unless {@code capacity} commands are already waiting. */
    synchronized boolean offer(QueuedCommand command, int capacity) {
        if (stopped || waiting.size() >= capacity) {
            return false;
        }
        waiting.addLast(command);
        if (worker == null) {
            worker = DaemonThreads.named("gateway-commands-" + target).newThread(this::run);
            worker.start();
        }
        notifyAll();
        return true;
    }

    /** Whether a worker thread is alive for this target (false once it has been idle long enough). */
    synchronized boolean hasWorker() {
        return worker != null;
    }

    synchronized boolean hasRoom(int capacity) {
        return !stopped && waiting.size() < capacity;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** The next command, or null when stopped or idle for {@code idleMillis} (the worker then ends). */
    private synchronized QueuedCommand take() throws InterruptedException {
        long idleUntil = System.nanoTime() + idleMillis * 1_000_000L;
        while (waiting.isEmpty() && !stopped) {
            long left = idleUntil - System.nanoTime();
            if (left <= 0) {
                worker = null;
                return null;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return stopped ? null : waiting.pollFirst();
    }

    private void run() {
        try {
            QueuedCommand next;
            while ((next = take()) != null) {
                try {
                    executor.accept(next);
                } catch (RuntimeException e) {
                    LOG.error("Command {} for {} failed unexpectedly", next.command().commandId(), target, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the worker (interrupting a command in progress) and returns the commands that never started,
     * so that the caller can report them.
     */
    List<QueuedCommand> stop(long joinMillis) {
        List<QueuedCommand> left;
        Thread running;
        synchronized (this) {
            stopped = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
            running = worker;
            notifyAll();
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(joinMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return left;
    }
}
