package site.gateway.commands;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FIFO of accepted commands for one PLC (or the gateway itself), executed one at a time by its own
 * thread so that a slow PLC never delays another. The capacity is passed at each offer, so a new
 * {@code queueCapacity} applies at once.
 */
final class TargetQueue {
    private static final Logger LOG = LoggerFactory.getLogger(TargetQueue.class);

    private final String target;
    private final Consumer<QueuedCommand> executor;
    private final Deque<QueuedCommand> waiting = new ArrayDeque<>();
    private final Thread worker;
    private boolean stopped;

    TargetQueue(String target, Consumer<QueuedCommand> executor) {
        this.target = target;
        this.executor = executor;
        this.worker = new Thread(this::run, "gateway-commands-" + target);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues the command unless {@code capacity} commands are already waiting. */
    synchronized boolean offer(QueuedCommand command, int capacity) {
        if (stopped || waiting.size() >= capacity) {
            return false;
        }
        waiting.addLast(command);
        notifyAll();
        return true;
    }

    synchronized boolean hasRoom(int capacity) {
        return !stopped && waiting.size() < capacity;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized QueuedCommand take() throws InterruptedException {
        while (waiting.isEmpty() && !stopped) {
            wait();
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
        synchronized (this) {
            stopped = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
            notifyAll();
        }
        worker.interrupt();
        try {
            worker.join(joinMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }
}
