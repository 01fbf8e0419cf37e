package site.gateway.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

import site.gateway.api.outbox.MessageType;

/**
 * Run in a child JVM by {@link CrashTest}: appends and acknowledges until it is killed. Prints
 * {@code S <nextSeq>} at start, {@code A <seq>} after appending up to seq, {@code C <seq>} when
 * {@code durableSeq()} (what a transport may send) reached seq, {@code K <upTo>} before acknowledging.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = System.out;
        OutboxStore store = OutboxStore.open(dir, new Limits(1L << 30, FullPolicy.DROP_OLDEST, 10),
                System::currentTimeMillis);
        out.println("S " + store.nextSeq());
        out.flush();
        long reportedCommit = 0;
        while (true) {
            int batch = 1 + random.nextInt(200);
            long seq = 0;
            for (int i = 0; i < batch; i++) {
                long expected = store.nextSeq();
                seq = store.append(MessageType.TELEMETRY, Messages.telemetry(expected)).seq();
                if (seq != expected) {
                    throw new IllegalStateException("got seq " + seq + ", expected " + expected);
                }
            }
            out.println("A " + seq);
            long committed = store.durableSeq();
            if (committed > reportedCommit) {
                reportedCommit = committed;
                out.println("C " + committed);
            }
            if (random.nextInt(4) == 0 && committed > store.lastAckedSeq()) {
                long upTo = store.lastAckedSeq() + 1 + random.nextInt((int) Math.min(500, committed - store.lastAckedSeq()));
                // Told before it happens: a kill between the two would otherwise hide an acknowledgement
                // that the committer may already have made durable.
                out.println("K " + upTo);
                out.flush();
                store.acknowledge(upTo);
            }
            out.flush();
        }
    }
}
