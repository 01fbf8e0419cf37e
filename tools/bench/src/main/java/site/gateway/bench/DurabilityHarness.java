package site.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import site.gateway.api.outbox.MessageType;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.OutboxStore;

/**
 * The cost of sending only what is durable (issue 11.2): how long a message waits between
 * {@code append} returning and {@code durableSeq} covering it (when the transport may send it), and
 * how many messages a second become durable, for several {@code syncIntervalMs}. Before the change a
 * message could be sent as soon as {@code append} returned: that is the "append only" line (latency 0,
 * throughput = the append rate), measured in the same run.
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.bench.DurabilityHarness [seconds] [intervals...]</pre>
 */
public final class DurabilityHarness {
    private static final byte[] MESSAGE = ("{\"type\":\"telemetry\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\","
            + "\"plcId\":\"plc-1\",\"ts\":1764259201000,\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":1.25,"
            + "\"quality\":\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.load\",\"value\":812.5,\"quality\":"
            + "\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.running\",\"value\":true,\"quality\":\"good\","
            + "\"ts\":1764259200991}]}").getBytes(StandardCharsets.UTF_8);

    private DurabilityHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long[] intervals = args.length > 1
                ? Arrays.stream(args).skip(1).mapToLong(Long::parseLong).toArray()
                : new long[] {0, 1, 10, 100};
        System.out.printf("message %d bytes, %d s per measurement%n", MESSAGE.length, seconds);
        for (int rate : new int[] {1_000, 10_000}) {
            for (long interval : intervals) {
                latency(interval, rate, seconds);
            }
        }
        for (long interval : intervals) {
            throughput(interval, seconds);
        }
    }

    /** Appends at a steady rate; the latency of each message from append to durable. */
    private static void latency(long interval, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] appendedAt = new long[total + 2];
        long[] latency = new long[total + 2];
        AtomicLong heard = new AtomicLong();
        Path dir = Dirs.temp("durability");
        long[] lastDurable = {0};
        try (OutboxStore store = OutboxStore.open(dir, new Limits(1L << 30, FullPolicy.DROP_OLDEST, interval),
                System::currentTimeMillis, upTo -> {
                    long now = System.nanoTime();
                    for (long s = lastDurable[0] + 1; s <= upTo && s < appendedAt.length; s++) {
                        latency[(int) s] = now - appendedAt[(int) s];
                    }
                    lastDurable[0] = Math.max(lastDurable[0], upTo);
                    heard.set(upTo);
                })) {
            long periodNanos = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 1; i <= total; i++) {
                long due = start + i * periodNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    if (wait > 50_000) {
                        LockSupport.parkNanos(wait - 20_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                appendedAt[i] = System.nanoTime();
                store.append(MessageType.TELEMETRY, MESSAGE.clone());
            }
            while (heard.get() < total) {
                LockSupport.parkNanos(1_000_000);
            }
            long[] l = Arrays.copyOfRange(latency, 1, total + 1);
            Arrays.sort(l);
            System.out.printf("LATENCY syncIntervalMs=%-3d at %,6d msg/s: append->durable p50 %.2f ms, p99 %.2f ms,"
                    + " max %.2f ms%n", interval, rate, l[l.length / 2] / 1e6, l[(int) (l.length * 0.99)] / 1e6,
                    l[l.length - 1] / 1e6);
        } finally {
            Dirs.delete(dir);
        }
    }

    /** Two producers as fast as they can: appends per second and durable seqs per second. */
    private static void throughput(long interval, int seconds) throws Exception {
        Path dir = Dirs.temp("durability");
        AtomicLong cycles = new AtomicLong();
        try (OutboxStore store = OutboxStore.open(dir, new Limits(1L << 30, FullPolicy.DROP_OLDEST, interval),
                System::currentTimeMillis, upTo -> cycles.incrementAndGet())) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                producers.add(new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            for (int i = 0; i < 100; i++) {
                                store.append(MessageType.TELEMETRY, MESSAGE.clone());
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long start = System.nanoTime();
            long durableAtStart = store.durableSeq();
            producers.forEach(Thread::start);
            for (Thread p : producers) {
                p.join();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long appended = store.nextSeq() - 1;
            long durableAtEnd = store.durableSeq() - durableAtStart;
            System.out.printf("THROUGHPUT syncIntervalMs=%-3d: appended %,.0f msg/s, durable %,.0f msg/s"
                    + " (%.0f%% of appends durable when the producers stopped), %,.0f commit+sync cycles/s%n",
                    interval, appended / elapsed, durableAtEnd / elapsed, 100.0 * durableAtEnd / appended,
                    cycles.get() / elapsed);
        } finally {
            Dirs.delete(dir);
        }
    }
}
