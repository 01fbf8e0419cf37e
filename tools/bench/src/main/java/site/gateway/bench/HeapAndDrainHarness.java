package site.gateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.List;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.OutboxStore;

/**
 * Buffers N messages (default 5,000,000, each its own ~300-byte array as a producer would hand over),
 * reports the heap in use after a full GC, then drains M of them (default 3,600,000) through read+ack
 * in batches of 1,000 and reports the time. Run it with {@code -Xmx100m} to show that it fits.
 *
 * <pre>java -Xmx100m -cp tools/bench/target/benchmarks.jar site.gateway.bench.HeapAndDrainHarness [N] [M]</pre>
 */
public final class HeapAndDrainHarness {
    private HeapAndDrainHarness() {
    }

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 5_000_000L;
        long drain = args.length > 1 ? Long.parseLong(args[1]) : 3_600_000L;
        Path dir = Dirs.temp("heap-harness");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.printf("max heap %d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        try (OutboxStore store = OutboxStore.open(dir, new Limits(16L << 30, FullPolicy.DROP_OLDEST, 100),
                System::currentTimeMillis)) {
            long t0 = System.nanoTime();
            for (long i = 0; i < total; i++) {
                store.append(MessageType.TELEMETRY, Telemetry.JSON.clone());
            }
            store.flush();
            double appendSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("appended %d in %.1f s (%.0f msg/s)%n", total, appendSeconds, total / appendSeconds);
            long heap = usedAfterGc(memory);
            System.out.printf("HEAP with %d buffered: %.1f MiB used after GC (stats %s, file %d MiB)%n", total,
                    heap / 1048576.0, store.stats(), store.fileSize() >> 20);

            long t1 = System.nanoTime();
            long drained = 0;
            long head = 1;
            long readNanos = 0;
            while (drained < drain) {
                long r0 = System.nanoTime();
                List<OutboxEntry> batch = store.read(head, (int) Math.min(1000, drain - drained));
                readNanos += System.nanoTime() - r0;
                if (batch.isEmpty()) {
                    break;
                }
                long last = batch.get(batch.size() - 1).seq();
                store.acknowledge(last);
                head = last + 1;
                drained += batch.size();
            }
            double drainSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("DRAIN %d messages through read+ack in %.2f s (%.0f msg/s; %.2f s of it in read)%n",
                    drained, drainSeconds, drained / drainSeconds, readNanos / 1e9);
            System.out.printf("heap after drain: %.1f MiB; %s%n", usedAfterGc(memory) / 1048576.0, store.stats());
        } finally {
            Dirs.delete(dir);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
