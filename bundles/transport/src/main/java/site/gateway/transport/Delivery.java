package site.gateway.transport;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;

/**
 * Moves durable messages from the outbox to the link in ascending seq (§3.1, §3.2), a few frames in
 * flight at a time. Only entries up to {@link Outbox#durableSeq()} are read, counted and sent: a seq the
 * WMS has seen must survive a crash, or a restarted gateway could give it to another message (§3.2 "never
 * reused"). Entries leave the outbox only through {@link Outbox#acknowledge}, never here. Runs on the
 * session's thread; {@link #wake()} may be called from any thread.
 */
final class Delivery {
    /** §3: at most 1 MiB per frame; the batch envelope and seq prefixes need a little room. */
    static final int MAX_FRAME_BYTES = 1024 * 1024 - 1024;
    /**
     * How often a running delivery looks for messages no wake-up announced. Appends wake it at once; this
     * only bounds the delay should a notification ever be lost (a listener not bound yet, a failed task).
     */
    static final long SWEEP_MS = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    /** Where frames go: the WebSocket, or HTTPS in fallback. */
    interface Sink {
        int maxInFlight();

        void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed);

        /** A message too large for any frame: it is announced as dropped instead of blocking the queue. */
        void tooLarge(OutboxEntry entry);

        /** Bytes of entries one frame may carry (less when the frame carries other members too). */
        default int frameBudget() {
            return MAX_FRAME_BYTES;
        }
    }

    private final Outbox outbox;
    private final Batcher batcher;
    private final ScheduledExecutorService loop;
    private final Supplier<Settings> settings;
    private final RateMeter rate;
    private final AtomicBoolean wakePending = new AtomicBoolean();

    private Sink sink;
    private long generation;
    private long nextToSend;
    private int inFlight;
    private long lastSendNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private long lastProgressNanos = System.nanoTime();
    /** The highest seq ever handed to a sink: a seq at or below it that is sent again is a resend. */
    private long highestSent;
    private volatile long resent;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> sweeper;

    Delivery(Outbox outbox, Batcher batcher, ScheduledExecutorService loop, Supplier<Settings> settings, RateMeter rate) {
        this.outbox = outbox;
        this.batcher = batcher;
        this.loop = loop;
        this.settings = settings;
        this.rate = rate;
    }

    /** Starts sending from {@code fromSeq} (the seq after the WMS's lastReceivedSeq). */
    void start(Sink newSink, long fromSeq) {
        stop();
        sink = newSink;
        nextToSend = fromSeq;
        long gen = generation;
        sweeper = loop.scheduleWithFixedDelay(() -> safely("sweep", () -> {
            if (gen == generation) {
                pump();
            }
        }), SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
        pump();
    }

    void stop() {
        generation++;
        sink = null;
        inFlight = 0;
        cancelTimer();
        if (sweeper != null) {
            sweeper.cancel(false);
            sweeper = null;
        }
    }

    boolean running() {
        return sink != null;
    }

    long nextToSend() {
        return nextToSend;
    }

    /** Something was appended or became durable: pump soon. Cheap and safe from any thread. */
    void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                loop.execute(() -> safely("wake", () -> {
                    wakePending.set(false);
                    pump();
                }));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    /** The WMS stored everything up to {@code upTo}: nothing at or below it needs sending. */
    void acked(long upTo) {
        if (upTo >= nextToSend) {
            nextToSend = upTo + 1;
        }
    }

    void pump() {
        while (sink != null && inFlight < sink.maxInFlight()) {
            Settings s = settings.get();
            long sinceLastMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSendNanos);
            long durable = outbox.durableSeq();
            Batcher.Decision decision = batcher.decide(Math.max(0, durable - nextToSend + 1), sinceLastMs, s);
            if (!decision.sendNow()) {
                if (decision.waitMs() >= 0) {
                    arm(decision.waitMs());
                }
                return;
            }
            List<OutboxEntry> entries = fitFrame(upTo(outbox.read(nextToSend, s.batchMaxItems()), durable), sink.frameBudget());
            if (entries.isEmpty()) {
                return; // the rest was dropped or acknowledged meanwhile; the next durable() wakes us
            }
            if (entries.size() == 1 && entries.get(0).json().length + 32 > MAX_FRAME_BYTES) {
                nextToSend = entries.get(0).seq() + 1;
                sink.tooLarge(entries.get(0));
                continue;
            }
            nextToSend = entries.get(entries.size() - 1).seq() + 1;
            if (inFlight == 0) {
                lastProgressNanos = System.nanoTime();
            }
            countResends(entries);
            inFlight++;
            lastSendNanos = System.nanoTime();
            rate.add(entries.size(), System.currentTimeMillis());
            long gen = generation;
            sink.send(entries, () -> loop.execute(() -> safely("written", () -> written(gen))),
                    error -> loop.execute(() -> safely("failed", () -> failed(gen))));
        }
    }

    /** Messages sent again since start (after a reconnect or resync from the WMS's lastReceivedSeq). */
    long resent() {
        return resent;
    }

    /** {@code entries} ascend by seq: those at or below the highest seq sent so far go out again. */
    private void countResends(List<OutboxEntry> entries) {
        int again = 0;
        while (again < entries.size() && entries.get(again).seq() <= highestSent) {
            again++;
        }
        if (again > 0) {
            resent += again;
        }
        highestSent = Math.max(highestSent, entries.get(entries.size() - 1).seq());
    }

    /** The prefix of {@code entries} with {@code seq <= durable}: what is not on disk yet is not sent. */
    static List<OutboxEntry> upTo(List<OutboxEntry> entries, long durable) {
        int n = entries.size();
        while (n > 0 && entries.get(n - 1).seq() > durable) {
            n--;
        }
        return n == entries.size() ? entries : entries.subList(0, n);
    }

    /** The longest prefix that fits in one frame (at least one entry). */
    static List<OutboxEntry> fitFrame(List<OutboxEntry> entries) {
        return fitFrame(entries, MAX_FRAME_BYTES);
    }

    static List<OutboxEntry> fitFrame(List<OutboxEntry> entries, int budget) {
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            bytes += entries.get(i).json().length + 24; // "seq":N, and the separator
            if (bytes > budget) {
                return entries.subList(0, Math.max(1, i));
            }
        }
        return entries;
    }

    /** Running with no frame in flight and nothing sendable found by the last pump. */
    boolean idle() {
        return sink != null && inFlight == 0 && upTo(outbox.read(nextToSend, 1), outbox.durableSeq()).isEmpty();
    }

    /** How long frames have been in flight without one completing; 0 when none is in flight. */
    long stalledForMs() {
        return inFlight == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgressNanos);
    }

    private void written(long gen) {
        if (gen == generation) {
            lastProgressNanos = System.nanoTime();
            inFlight--;
            pump();
        }
    }

    private void failed(long gen) {
        if (gen == generation) {
            inFlight--; // the link is failing; the session restarts delivery from the WMS's lastReceivedSeq
        }
    }

    private void arm(long delayMs) {
        if (timer != null && !timer.isDone()) {
            return;
        }
        long gen = generation;
        timer = loop.schedule(() -> safely("batch timer", () -> {
            if (gen == generation) {
                timer = null;
                pump();
            }
        }), Math.max(1, delayMs), TimeUnit.MILLISECONDS);
    }

    /** Tasks on the session's executor would otherwise fail silently (their Future holds the exception). */
    private static void safely(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Delivery step '{}' failed; the next wake-up or sweep tries again", what, e);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
