package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.SeqRange;

class CorruptFileTest {
    static final Limits LIMITS = new Limits(1L << 20, FullPolicy.DROP_OLDEST, 100);

    @TempDir
    Path dir;

    private long fillAndClose() throws Exception {
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 0)) {
            for (int n = 1; n <= 300; n++) {
                store.append(MessageType.TELEMETRY, Messages.telemetry(n));
            }
            return store.nextSeq() - 1;
        }
    }

    private List<Path> movedAside() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(OutboxStore.FILE_NAME + ".corrupt-")).toList();
        }
    }

    private void expectFreshStartAbove(long lastUsed) throws Exception {
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 77)) {
            assertThat(store.openReport().corruptMovedTo()).isNotNull().exists();
            assertThat(movedAside()).hasSize(1);
            assertThat(store.read(1, 10)).isEmpty();
            assertThat(store.nextSeq()).isGreaterThan(lastUsed);
            // everything the lost file may have held is announced as dropped so the WMS can ack past it
            assertThat(store.droppedRanges()).containsExactly(new SeqRange(1, store.nextSeq() - 1));
            long seq = store.append(MessageType.TELEMETRY, Messages.telemetry(1)).seq();
            assertThat(seq).isGreaterThan(lastUsed);
        }
        // and the next start is a normal one: no crash loop, no second move
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 78)) {
            assertThat(store.openReport()).isNull();
            assertThat(store.read(1, 10)).hasSize(1);
            assertThat(movedAside()).hasSize(1);
        }
    }

    @Test
    void aFileOfGarbageIsMovedAsideAndAFreshStoreStartsAboveEveryUsedSeq() throws Exception {
        long last = fillAndClose();
        byte[] garbage = new byte[(int) Files.size(dir.resolve(OutboxStore.FILE_NAME))];
        new Random(1).nextBytes(garbage);
        Files.write(dir.resolve(OutboxStore.FILE_NAME), garbage);
        expectFreshStartAbove(last);
    }

    @Test
    void aTruncatedFileIsMovedAside() throws Exception {
        long last = fillAndClose();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(OutboxStore.FILE_NAME).toFile(), "rw")) {
            f.setLength(100);
        }
        expectFreshStartAbove(last);
    }

    @Test
    void aFileWithABrokenHeaderIsMovedAside() throws Exception {
        long last = fillAndClose();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(OutboxStore.FILE_NAME).toFile(), "rw")) {
            f.seek(0);
            f.write(new byte[8192]);
        }
        expectFreshStartAbove(last);
    }

    @Test
    void everyDurableSeqIsCoveredByTheReservationAlthoughAppendsNeverWaitForIt() throws Exception {
        // syncIntervalMs 60 s: after its first cycle the committer waits, and the appends run past several
        // reservation blocks without a sync of their own; the cycle that makes them durable extends the reservation
        long appended = 3 * OutboxStore.RESERVE_BLOCK;
        byte[] json = Messages.telemetry(1);
        OutboxStore store = OutboxStore.open(dir, new Limits(1L << 30, FullPolicy.DROP_OLDEST, 60_000), () -> 0);
        for (long n = 1; n <= appended; n++) {
            store.append(MessageType.TELEMETRY, json);
        }
        store.flush();
        assertThat(store.durableSeq()).isEqualTo(appended);
        assertThat(new ReservationFile(dir).read()).isGreaterThanOrEqualTo(appended);
        store.abandon(); // a crash, and then the file turns out corrupt
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(OutboxStore.FILE_NAME).toFile(), "rw")) {
            f.setLength(100);
        }
        expectFreshStartAbove(appended);
    }
}
