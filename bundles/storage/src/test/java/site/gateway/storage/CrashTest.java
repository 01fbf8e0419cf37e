package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.SeqRange;

/**
 * Kills a child JVM that appends and acknowledges with SIGKILL at random moments, and checks after
 * each restart that every message the child saw durable (sendable) and did not acknowledge is there,
 * in order, with its own content, that no seq ever returned by {@code durableSeq()} is handed out
 * again, and that nothing is announced as dropped (issue 11.2: a crash on a healthy disk loses
 * nothing and must not claim a loss).
 */
class CrashTest {
    static final int ROUNDS = 20;

    @TempDir
    Path dir;

    /** Committed seq ranges [first seq of a child run, last seq reported committed in it]. */
    private final List<long[]> committedRuns = new ArrayList<>();
    private long maxSeqHandedOut;
    private long maxDurable;
    private long maxAckRequested;

    @Test
    void killedAtRandomMomentsLosesNothingCommittedAndNeverReusesASeq() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            runAndKill(random.nextLong(), 150 + random.nextInt(1000));
            verifyStore();
        }
        assertThat(maxSeqHandedOut).as("children appended something").isGreaterThan(1000);
        assertThat(committedRuns).as("rounds with commits").hasSizeGreaterThanOrEqualTo(ROUNDS / 4);
    }

    private void runAndKill(long seed, int runMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<Exception> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                }
            } catch (Exception e) {
                readFailure.set(e);
            }
        });
        reader.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !lines.isEmpty() || !child.isAlive());
        assertThat(lines).as("child started").isNotEmpty();
        long startedAt = System.nanoTime();
        // Let it run for the chosen time (awaiting the clock, not sleeping), then kill -9.
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> System.nanoTime() - startedAt >= runMillis * 1_000_000L || !child.isAlive());
        assertThat(child.isAlive()).as("child still running when killed").isTrue();
        // SIGKILL through the process handle: Process.destroyForcibly() also closes our end of the pipe, which
        // throws away the lines the child wrote but the reader had not read yet (a "K" among them made a
        // later acknowledgement look like a loss).
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(30_000);
        assertThat(reader.isAlive()).as("the child's output read to its end").isFalse();
        assertThat(readFailure.get()).as("reading the child's output").isNull();
        absorb(lines);
    }

    private void absorb(List<String> lines) {
        long first = -1;
        long committed = -1;
        for (String line : lines) {
            String[] p = line.split(" ");
            if (p.length != 2 || p[1].isEmpty()) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(p[1]);
            } catch (NumberFormatException torn) {
                continue;
            }
            switch (p[0]) {
                case "S" -> {
                    assertThat(v).as("restart seq above everything durable (sendable) before").isGreaterThan(maxDurable);
                    first = v;
                }
                case "A" -> maxSeqHandedOut = Math.max(maxSeqHandedOut, v);
                case "C" -> {
                    committed = Math.max(committed, v);
                    maxDurable = Math.max(maxDurable, v);
                }
                case "K" -> maxAckRequested = Math.max(maxAckRequested, v);
                default -> {
                }
            }
        }
        if (first > 0 && committed >= first) {
            committedRuns.add(new long[] {first, committed});
        }
    }

    private void verifyStore() throws Exception {
        try (OutboxStore store = OutboxStore.open(dir, new Limits(1L << 30, FullPolicy.DROP_OLDEST, 10),
                System::currentTimeMillis)) {
            assertThat(store.nextSeq()).as("no reuse of a seq that was durable, so possibly sent")
                    .isGreaterThan(maxDurable);
            assertThat(store.droppedRanges()).as("a crash on a healthy disk announces nothing as dropped").isEmpty();
            assertThat(store.openReport()).as("nothing to report after a crash on a healthy disk").isNull();
            assertThat(store.durableSeq()).as("everything held is durable after the restart")
                    .isEqualTo(store.nextSeq() - 1);
            List<Long> present = new ArrayList<>();
            long from = 1;
            for (List<OutboxEntry> batch; !(batch = store.read(from, 1000)).isEmpty();) {
                for (OutboxEntry e : batch) {
                    assertThat(Messages.marker(e.json())).as("content of seq %d", e.seq()).isEqualTo(e.seq());
                    present.add(e.seq());
                }
                from = batch.get(batch.size() - 1).seq() + 1;
            }
            assertThat(present).isSorted().doesNotHaveDuplicates();
            java.util.Set<Long> presentSet = new java.util.HashSet<>(present);
            for (long[] run : committedRuns) {
                for (long s = Math.max(run[0], maxAckRequested + 1); s <= run[1]; s++) {
                    if (!presentSet.contains(s)) {
                        throw new AssertionError("seq " + s + " was committed and not acknowledged but is missing"
                                + " (acknowledgements asked up to " + maxAckRequested + ", the store's " + store.lastAckedSeq()
                                + ", first present " + (present.isEmpty() ? "none" : present.get(0)) + ")");
                    }
                }
            }
            List<SeqRange> dropped = store.droppedRanges();
            for (SeqRange r : dropped) {
                assertThat(present).as("nothing present inside dropped range %s", r)
                        .noneMatch(s -> s >= r.from() && s <= r.to());
            }
            // Acknowledge part of the backlog between rounds so that the store keeps moving.
            if (!present.isEmpty() && present.size() > 20_000) {
                long upTo = present.get(present.size() / 2);
                store.acknowledge(upTo);
                maxAckRequested = Math.max(maxAckRequested, upTo);
            }
        }
        assertThat(new File(dir.toFile(), OutboxStore.FILE_NAME)).exists();
    }
}
