package site.gateway.bench;

import java.nio.file.Path;
import java.util.List;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.OutboxStore;

/**
 * Sustained append + read + ack at full speed against a buffer kept full (drop-oldest dropping all the
 * time: the worst case for file growth), sampling the file size every second.
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.bench.FileSizeHarness [seconds] [maxBytesMiB] [msgPerSecond]</pre>
 *
 * With a rate (0 = as fast as possible), messages are paced in steps of 1,000.
 */
public final class FileSizeHarness {
    private FileSizeHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        long maxBytes = (args.length > 1 ? Long.parseLong(args[1]) : 64) << 20;
        long rate = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path dir = Dirs.temp("file-harness");
        try (OutboxStore store = OutboxStore.open(dir, new Limits(maxBytes, FullPolicy.DROP_OLDEST, 100),
                System::currentTimeMillis)) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long nextSample = System.nanoTime() + 1_000_000_000L;
            long appended = 0;
            long maxFile = 0;
            long sumFile = 0;
            int samples = 0;
            long head = 1;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                if (rate > 0) {
                    long due = start + appended * 1_000_000_000L / rate;
                    while (System.nanoTime() < due) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    }
                }
                for (int i = 0; i < 1000; i++) {
                    store.append(MessageType.TELEMETRY, Telemetry.JSON.clone());
                }
                appended += 1000;
                // ack a little less than appended, so the buffer stays full and keeps dropping
                List<OutboxEntry> batch = store.read(head, 900);
                if (!batch.isEmpty()) {
                    long last = batch.get(batch.size() - 1).seq();
                    store.acknowledge(last);
                    head = last + 1;
                }
                if (System.nanoTime() >= nextSample) {
                    nextSample += 1_000_000_000L;
                    long size = Dirs.size(dir);
                    maxFile = Math.max(maxFile, size);
                    sumFile += size;
                    samples++;
                    if (samples % Integer.getInteger("every", 10) == 0) {
                        System.out.printf("t=%3ds appended=%,d file=%,d bytes (%.2f x maxBytes) %s%n", samples,
                                appended, size, size / (double) maxBytes, store.stats());
                    }
                }
            }
            System.out.printf("FILE over %d s, %,d messages appended (%.0f/s), maxBytes %,d: max %,d bytes "
                    + "(%.2f x maxBytes, margin %,d), mean %,d%n", samples, appended, appended / (double) seconds,
                    maxBytes, maxFile, maxFile / (double) maxBytes, maxFile - maxBytes, sumFile / Math.max(1, samples));
        } finally {
            Dirs.delete(dir);
        }
    }
}
