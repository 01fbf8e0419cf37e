package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeMap;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.SeqRange;

/**
 * Messages live in one map per {@link Segments#SEQS} seqs: acknowledged ones leave a whole map at a time, after a
 * commit has the acknowledgement; a drop's range record is written in the map of the message it removes.
 */
class SegmentsTest extends OpenStoreFixture {
    private static final long SEQS = Segments.SEQS;


    private void open() throws Exception {
        store = OutboxStore.open(dir, OutboxStoreTest.ROOMY, () -> 1_000L);
    }

    private void appendUpTo(long last) throws Exception {
        for (long n = store.nextSeq(); n <= last; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
    }

    private boolean hasMap(long index) {
        return store.mvStore().hasMap(Segments.PREFIX + index);
    }

    @Test
    void anAcknowledgedMapGoesWholeOnceTheAcknowledgementIsCommitted() throws Exception {
        open();
        appendUpTo(2 * SEQS + 100);
        store.flush();
        assertThat(hasMap(0)).isTrue();
        assertThat(hasMap(2)).isTrue();

        store.acknowledge(SEQS + 10);
        assertThat(store.stats().messages()).isEqualTo(SEQS + 90);
        assertThat(store.holds(SEQS + 10)).isFalse();
        assertThat(store.holds(SEQS + 11)).isTrue();
        assertThat(store.read(1, 1)).extracting(OutboxEntry::seq).containsExactly(SEQS + 11);

        store.flush();
        assertThat(hasMap(0)).as("all its seqs acknowledged and committed").isFalse();
        assertThat(hasMap(1)).as("holds seqs not acknowledged yet").isTrue();
        store.checkLedger();

        store.close();
        open();
        assertThat(store.lastAckedSeq()).isEqualTo(SEQS + 10);
        assertThat(store.stats().messages()).isEqualTo(SEQS + 90);
        assertThat(store.read(1, 1)).extracting(OutboxEntry::seq).containsExactly(SEQS + 11);
        MVMap<Long, Stored> second = store.mvStore().openMap(Segments.PREFIX + 1, MVStores.mapBuilder());
        assertThat(second.ceilingKey(1L)).as("acknowledged messages left in a map are removed on opening")
                .isEqualTo(SEQS + 11);
        store.checkLedger();
        assertThat(store.append(MessageType.TELEMETRY, Messages.telemetry(0)).seq()).isEqualTo(2 * SEQS + 101);
    }

    @Test
    void aMapRemovedAfterTheAcknowledgementWasSyncedButNotCommittedIsRemovedAgainOnOpening() throws Exception {
        open();
        appendUpTo(SEQS + 20);
        store.acknowledge(SEQS + 5);
        store.flush(); // the acknowledgement is synced; the map's removal is not committed yet
        assertThat(hasMap(0)).isFalse();
        store.abandon(); // as a killed process: no commit after the removal

        open();
        assertThat(hasMap(0)).as("acknowledged up to its last seq: removed again").isFalse();
        assertThat(store.lastAckedSeq()).isEqualTo(SEQS + 5);
        assertThat(store.stats().messages()).isEqualTo(15);
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).first().isEqualTo(SEQS + 6);
        store.checkLedger();
    }

    @Test
    void aLostRangeInTheQueueMapIsClippedByAcknowledgementsAndForgottenOnceCovered() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(ReservationFile.NAME), "100"); // a store set aside: 1..100 lost
        open();
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(1, 100));
        appendUpTo(110);
        store.acknowledge(40);
        store.close();
        open();
        assertThat(store.droppedRanges()).as("clipped at the last ack").containsExactly(new SeqRange(41, 100));

        store.acknowledge(105);
        store.close();
        open();
        assertThat(store.droppedRanges()).isEmpty();
        MVMap<Long, Stored> queue = store.mvStore().openMap(OutboxStore.MAP_NAME, MVStores.mapBuilder());
        assertThat(queue.ceilingKey(Long.MIN_VALUE)).as("no range record left, only the meta record").isZero();
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(106L, 107L, 108L, 109L, 110L);
        store.checkLedger();
    }

    @Test
    void theBytesOfAcknowledgedMessagesCountAgainstNothingButTheFile() throws Exception {
        open();
        appendUpTo(SEQS + 5);
        store.acknowledge(SEQS);
        long lastFive = 0;
        for (long n = SEQS + 1; n <= SEQS + 5; n++) {
            lastFive += Messages.telemetry(n).length + Records.HEADER + Records.KEY_OVERHEAD;
        }
        assertThat(store.stats().bytes()).isEqualTo(lastFive);
        store.acknowledge(SEQS + 5);
        assertThat(store.stats().bytes()).isZero();
        assertThat(store.stats().messages()).isZero();
    }

    @Test
    void aDropRecordsItsRangeInTheMapOfTheMessageItRemoves() {
        try (MVStore mv = new MVStore.Builder().fileName(dir.resolve("s.mv.db").toString()).open()) {
            Segments segments = new Segments(mv);
            for (long seq = SEQS - 2; seq <= SEQS + 3; seq++) {
                segments.put(seq, Records.encode(MessageType.TELEMETRY, 1, Messages.telemetry(seq)));
            }
            TreeMap<Long, Long> dropped = new TreeMap<>();
            for (long seq = SEQS - 1; seq <= SEQS + 2; seq++) {
                long from = SeqRanges.add(dropped, seq, seq, start -> { });
                assertThat(segments.dropMessage(seq, from, dropped.get(from))).isNotNull();
            }
            assertThat(dropped).containsExactly(java.util.Map.entry(SEQS - 1, SEQS + 2));

            TreeMap<Long, Long> recorded = new TreeMap<>();
            segments.forEachRange(recorded::put);
            assertThat(recorded).as("one record per map, clipped to its seqs")
                    .containsExactly(java.util.Map.entry(SEQS - 1, SEQS), java.util.Map.entry(SEQS + 1, SEQS + 2));
            MVMap<Long, Stored> first = mv.openMap(Segments.PREFIX + 0, MVStores.mapBuilder());
            assertThat(first.keyList()).containsExactly(-(SEQS - 1), SEQS - 2);
            assertThat(segments.ceiling(SEQS - 1)).isEqualTo(SEQS + 3);
            assertThat(segments.countFrom(1)).isEqualTo(2);
        }
    }

    @Test
    void dropsAcrossAMapBoundaryReadBackAsOneRange() throws Exception {
        store = OutboxStore.open(dir, new Limits(64L << 20, FullPolicy.DROP_OLDEST, 100), () -> 1_000L);
        appendUpTo(SEQS + 50);
        long perMessage = Messages.telemetry(SEQS).length + Records.HEADER + Records.KEY_OVERHEAD; // all 5 digits
        store.acknowledge(SEQS - 20);
        store.setLimits(new Limits(perMessage * 40, FullPolicy.DROP_OLDEST, 100)); // drops SEQS-19 .. SEQS+10
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(SEQS - 19, SEQS + 10));
        store.checkLedger();

        store.close();
        store = OutboxStore.open(dir, new Limits(perMessage * 40, FullPolicy.DROP_OLDEST, 100), () -> 1_000L);
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(SEQS - 19, SEQS + 10));
        assertThat(store.stats().messages()).isEqualTo(40);
        assertThat(store.read(1, 1)).extracting(OutboxEntry::seq).containsExactly(SEQS + 11);
        store.checkLedger();
    }
}
