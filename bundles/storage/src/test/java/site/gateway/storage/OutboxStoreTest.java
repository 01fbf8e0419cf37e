package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;

class OutboxStoreTest {
    static final Limits ROOMY = new Limits(64L << 20, FullPolicy.DROP_OLDEST, 100);

    @TempDir
    Path dir;
    OutboxStore store;
    long clock = 1_000;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    OutboxStore open() throws Exception {
        store = OutboxStore.open(dir, ROOMY, () -> clock);
        return store;
    }

    long append(long n) throws Exception {
        return store.append(MessageType.TELEMETRY, Messages.telemetry(n)).seq();
    }

    @Test
    void seqStartsAtOneAndIncreasesAndEntriesComeBackInOrder() throws Exception {
        open();
        assertThat(store.nextSeq()).isEqualTo(1);
        for (long n = 1; n <= 50; n++) {
            assertThat(append(n)).isEqualTo(n);
        }
        List<OutboxEntry> all = store.read(1, 1000);
        assertThat(all).extracting(OutboxEntry::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(all).allSatisfy(e -> assertThat(Messages.marker(e.json())).isEqualTo(e.seq()));
        assertThat(all.get(0).type()).isEqualTo(MessageType.TELEMETRY);
        assertThat(all.get(0).createdAt()).isEqualTo(1_000);
        assertThat(Messages.text(all.get(0).toWire())).startsWith("{\"seq\":1,\"type\":\"telemetry\"");
    }

    @Test
    void anIdleStoreIsNotSyncedAgain() throws Exception {
        open();
        append(1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> store.durableSeq() == 1);
        long afterAppend = store.syncCount();

        store.flush();
        store.flush();
        assertThat(store.syncCount()).as("nothing changed: no fsync").isEqualTo(afterAppend);

        store.acknowledge(1);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .alias("an acknowledgement is a change, committed by itself")
                .until(() -> store.syncCount() == afterAppend + 1);
        store.flush();
        assertThat(store.syncCount()).isEqualTo(afterAppend + 1);
        assertThat(store.syncedUpTo()).isEqualTo(1);
    }

    @Test
    void readsInBatchesFromAPosition() throws Exception {
        open();
        for (long n = 1; n <= 25; n++) {
            append(n);
        }
        assertThat(store.read(1, 10)).extracting(OutboxEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L,
                9L, 10L);
        assertThat(store.read(21, 10)).extracting(OutboxEntry::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(store.read(26, 10)).isEmpty();
        assertThat(store.read(0, 0)).isEmpty();
    }

    @Test
    void acknowledgeRemovesUpToAndIsCumulative() throws Exception {
        open();
        for (long n = 1; n <= 10; n++) {
            clock = n * 10;
            append(n);
        }
        store.acknowledge(4);
        assertThat(store.lastAckedSeq()).isEqualTo(4);
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        store.acknowledge(2); // older ack: no effect
        assertThat(store.lastAckedSeq()).isEqualTo(4);
        OutboxStats stats = store.stats();
        assertThat(stats.messages()).isEqualTo(6);
        assertThat(stats.oldestCreatedAt()).isEqualTo(50);
        long expected = 0;
        for (long n = 5; n <= 10; n++) {
            expected += Messages.telemetry(n).length + Records.HEADER + Records.KEY_OVERHEAD;
        }
        assertThat(stats.bytes()).isEqualTo(expected);
        store.acknowledge(1_000); // beyond what was handed out: clamped
        assertThat(store.lastAckedSeq()).isEqualTo(10);
        assertThat(store.stats()).isEqualTo(new OutboxStats(0, 0, 0, 0, 0));
        assertThat(append(11)).isEqualTo(11);
    }

    @Test
    void survivesACleanRestartWithoutLosingOrSkippingSeqs() throws Exception {
        open();
        for (long n = 1; n <= 7; n++) {
            append(n);
        }
        store.acknowledge(3);
        store.close();
        open();
        assertThat(store.lastAckedSeq()).isEqualTo(3);
        assertThat(store.nextSeq()).isEqualTo(8);
        assertThat(store.droppedRanges()).isEmpty();
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(4L, 5L, 6L, 7L);
        assertThat(store.stats().messages()).isEqualTo(4);
        assertThat(append(8)).isEqualTo(8);
    }

    @Test
    void aStoreLeftOpenContinuesAfterItsLastCommittedSeqAndAnnouncesNothingDropped() throws Exception {
        open();
        for (long n = 1; n <= 5; n++) {
            append(n);
        }
        store.flush();
        assertThat(store.durableSeq()).isEqualTo(5);
        store.abandon();
        store = null;
        open();
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.nextSeq()).isEqualTo(6);
        assertThat(store.durableSeq()).isEqualTo(5);
        assertThat(store.droppedRanges()).isEmpty();
        assertThat(store.openReport()).isNull();
    }

    @Test
    void anAcknowledgementWithNoAppendAfterItIsMadeDurableByTheIdleCycle() throws Exception {
        open();
        for (long n = 1; n <= 5; n++) {
            append(n);
        }
        store.flush();
        store.acknowledge(3);
        // no commit of its own: the committer's idle cycle picks it up
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !store.hasUnsyncedChanges());
        store.abandon(); // a crash: no flush, no close
        store = null;
        open();
        assertThat(store.lastAckedSeq()).isEqualTo(3);
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(4L, 5L);
    }

    @Test
    void durableSeqFollowsCommitsAndListenersHearIt() throws Exception {
        List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        store = OutboxStore.open(dir, new Limits(64L << 20, FullPolicy.DROP_OLDEST, 5), () -> clock, heard::add);
        assertThat(store.durableSeq()).isZero();
        for (long n = 1; n <= 30; n++) {
            append(n);
        }
        // demand-driven: the appends alone bring a commit, no flush needed
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> store.durableSeq() == 30);
        assertThat(heard).isSorted().last().isEqualTo(30L);
    }

    @Test
    void continueAboveRenumbersHeldMessagesAboveTheWmsMarkDurably() throws Exception {
        open();
        for (long n = 1; n <= 5; n++) {
            append(n);
        }
        store.acknowledge(2);
        assertThat(store.continueAbove(4)).as("the WMS is not ahead of nextSeq 6: nothing to do").isNull();
        assertThat(store.nextSeq()).isEqualTo(6);

        OutboxStore.Raised raised = store.continueAbove(1000);
        assertThat(raised).isEqualTo(new OutboxStore.Raised(1000, 6, 1004, 3));
        assertThat(store.durableSeq()).as("persisted before returning").isEqualTo(1003);
        assertThat(store.lastAckedSeq()).isEqualTo(1000);
        assertThat(store.droppedRanges()).isEmpty();
        List<OutboxEntry> held = store.read(1, 100);
        assertThat(held).extracting(OutboxEntry::seq).containsExactly(1001L, 1002L, 1003L);
        assertThat(held).extracting(e -> Messages.marker(e.json())).containsExactly(3L, 4L, 5L);
        assertThat(store.stats().messages()).isEqualTo(3);
        assertThat(append(6)).isEqualTo(1004);

        // survives a crash right after: nothing numbered at or below the WMS's mark again
        store.flush();
        store.abandon();
        store = null;
        open();
        assertThat(store.nextSeq()).isEqualTo(1005);
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(1001L, 1002L, 1003L, 1004L);
        assertThat(store.droppedRanges()).isEmpty();
    }

    @Test
    void continueAboveIsPersistedEvenIfNothingIsCommittedAfterIt() throws Exception {
        open();
        append(1);
        store.continueAbove(500);
        store.abandon(); // no flush, no close
        store = null;
        open();
        assertThat(store.nextSeq()).isEqualTo(502);
        assertThat(store.read(1, 10)).extracting(OutboxEntry::seq).containsExactly(501L);
    }

    @Test
    void rejectsMessagesThatAreNotJsonObjects() throws Exception {
        open();
        assertThatThrownBy(() -> store.append(MessageType.TELEMETRY, "[1]".getBytes()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.nextSeq()).isEqualTo(1);
    }

    @Test
    void syncEveryAppendWaitsUntilTheMessageIsSynced() throws Exception {
        store = OutboxStore.open(dir, new Limits(1 << 20, FullPolicy.DROP_OLDEST, 0), () -> clock);
        for (long n = 1; n <= 20; n++) {
            long seq = append(n);
            assertThat(store.syncedUpTo()).isGreaterThanOrEqualTo(seq);
        }
    }
}
