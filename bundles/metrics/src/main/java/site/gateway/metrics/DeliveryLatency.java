package site.gateway.metrics;

import java.util.ArrayDeque;
import java.util.function.DoubleConsumer;

/**
 * Time from append to acknowledgement, per message. Remembers when each seq was appended (bounded: while
 * {@code capacity} messages are waiting, further ones are not timed, so a long WMS outage costs no memory)
 * and, when the acknowledged seq advances, reports the age of every remembered seq it covers.
 */
final class DeliveryLatency {
    private final int capacity;
    private final ArrayDeque<long[]> pending = new ArrayDeque<>();

    DeliveryLatency(int capacity) {
        this.capacity = capacity;
    }

    synchronized void appended(long seq, long nanos) {
        if (pending.size() < capacity) {
            pending.addLast(new long[] {seq, nanos});
        }
    }

    /** Dropped messages are never delivered: they are not timed. */
    synchronized void dropped(long from, long to) {
        pending.removeIf(e -> e[0] >= from && e[0] <= to);
    }

    /** Every seq up to {@code upTo} is acknowledged: the age in seconds of each timed one goes to {@code observe}. */
    void acknowledged(long upTo, long nanos, DoubleConsumer observe) {
        while (true) {
            long[] head;
            synchronized (this) {
                head = pending.peekFirst();
                if (head == null || head[0] > upTo) {
                    return;
                }
                pending.pollFirst();
            }
            observe.accept(Math.max(0, nanos - head[1]) / 1e9);
        }
    }

    synchronized int waiting() {
        return pending.size();
    }
}
