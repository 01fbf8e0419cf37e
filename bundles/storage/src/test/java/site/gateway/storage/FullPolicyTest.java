package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.SeqRange;

class FullPolicyTest extends OpenStoreFixture {
    /** Accounted size of one test telemetry message with a one-digit marker. */
    static final long ONE = Messages.telemetry(1).length + Records.HEADER + Records.KEY_OVERHEAD;


    @Test
    void dropOldestDiscardsTelemetryFirstThenTheRestOldestFirst() throws Exception {
        store = OutboxStore.open(dir, new Limits(10 * ONE + 50, FullPolicy.DROP_OLDEST, 100), () -> 0);
        // seq 1 alert, 2..6 telemetry, 7 alert, 8..10 telemetry: 10 messages, about 9.5 "ONE"s
        List<SeqRange> dropped = new ArrayList<>();
        store.append(MessageType.ALERT, Messages.alert(1));
        for (int n = 2; n <= 6; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        store.append(MessageType.ALERT, Messages.alert(7));
        for (int n = 8; n <= 9; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThat(store.droppedRanges()).isEmpty();
        // Each of the next telemetry messages pushes the oldest telemetry out, never an alert.
        for (int n = 10; n <= 14; n++) {
            OutboxStore.Appended a = store.append(MessageType.TELEMETRY, Messages.telemetry(n));
            if (a.dropped() != null) {
                dropped.addAll(a.dropped());
            }
        }
        assertThat(store.stats().bytes()).isLessThanOrEqualTo(10 * ONE + 50);
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).contains(1L, 7L).doesNotContain(2L, 3L);
        assertThat(store.droppedRanges()).first().isEqualTo(new SeqRange(2, store.droppedRanges().get(0).to()));
        assertThat(dropped).isNotEmpty();
        long droppedCount = dropped.stream().mapToLong(SeqRange::size).sum();
        assertThat(store.stats().droppedTotal()).isEqualTo(droppedCount);

        // Lowering the limit drops at once: older telemetry goes, the alerts stay.
        List<SeqRange> more = store.setLimits(new Limits(1024, FullPolicy.DROP_OLDEST, 100));
        assertThat(more).isNotEmpty();
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(1L, 7L, 14L);
        // Every seq from 2 to 13 except 7 is now dropped, announced as ranges.
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(2, 6), new SeqRange(8, 13));
    }

    @Test
    void onlyAlertsAndCommandResultsLeftAreDroppedOldestFirst() throws Exception {
        store = OutboxStore.open(dir, new Limits(4096, FullPolicy.DROP_OLDEST, 100), () -> 0);
        long size = Messages.alert(10).length + Records.HEADER + Records.KEY_OVERHEAD;
        int fit = (int) (4096 / size);
        for (int n = 10; n < 10 + fit + 3; n++) {
            store.append(MessageType.ALERT, Messages.alert(n));
        }
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(1, 3));
        assertThat(store.read(1, 1)).extracting(OutboxEntry::seq).containsExactly(4L);
    }

    @Test
    void droppedRangesAreClearedByAcknowledgementsAndSurviveRestart() throws Exception {
        store = OutboxStore.open(dir, new Limits(5 * ONE, FullPolicy.DROP_OLDEST, 100), () -> 0);
        for (int n = 1; n <= 9; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(1, 4));
        store.close();
        store = OutboxStore.open(dir, new Limits(5 * ONE, FullPolicy.DROP_OLDEST, 100), () -> 0);
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(1, 4));
        assertThat(store.stats().droppedTotal()).isEqualTo(4);
        store.acknowledge(2);
        assertThat(store.droppedRanges()).containsExactly(new SeqRange(3, 4));
        store.acknowledge(5);
        assertThat(store.droppedRanges()).isEmpty();
        assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(6L, 7L, 8L, 9L);
    }

    @Test
    void rejectNewRefusesTelemetryWithoutUsingASeqButKeepsRoomForAlerts() throws Exception {
        store = OutboxStore.open(dir, new Limits(5 * ONE, FullPolicy.REJECT_NEW, 100), () -> 0);
        for (int n = 1; n <= 5; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThatThrownBy(() -> store.append(MessageType.TELEMETRY, Messages.telemetry(6)))
                .isInstanceOf(OutboxFullException.class);
        assertThatThrownBy(() -> store.append(MessageType.TELEMETRY, Messages.telemetry(7)))
                .isInstanceOf(OutboxFullException.class);
        assertThat(store.stats().rejectedTotal()).isEqualTo(2);
        assertThat(store.nextSeq()).isEqualTo(6);
        // An alert (e.g. buffer.dropped itself) still fits into the headroom.
        assertThat(store.append(MessageType.ALERT, Messages.alert(8)).seq()).isEqualTo(6);
        assertThat(store.droppedRanges()).isEmpty();
        assertThat(store.read(1, 100)).hasSize(6);
        store.acknowledge(3);
        assertThat(store.append(MessageType.TELEMETRY, Messages.telemetry(9)).seq()).isEqualTo(7);
    }

    @Test
    void switchingPolicyAppliesAtOnce() throws Exception {
        store = OutboxStore.open(dir, new Limits(3 * ONE, FullPolicy.REJECT_NEW, 100), () -> 0);
        for (int n = 1; n <= 3; n++) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThatThrownBy(() -> store.append(MessageType.TELEMETRY, Messages.telemetry(4)))
                .isInstanceOf(OutboxFullException.class);
        store.setLimits(new Limits(3 * ONE, FullPolicy.DROP_OLDEST, 100));
        assertThat(store.append(MessageType.TELEMETRY, Messages.telemetry(5)).dropped())
                .containsExactly(new SeqRange(1, 1));
        store.setLimits(new Limits(10 * ONE, FullPolicy.REJECT_NEW, 100));
        store.append(MessageType.TELEMETRY, Messages.telemetry(6));
        assertThat(store.stats().messages()).isEqualTo(4);
    }
}
