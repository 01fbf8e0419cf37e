package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.osgi.util.converter.Converters;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.Severity;

class OutboxComponentTest {
    static final long ONE = FullPolicyTest.ONE;

    @TempDir
    Path home;
    OutboxComponent buffer;
    final List<Alert> raised = new CopyOnWriteArrayList<>();
    final List<Long> appended = new CopyOnWriteArrayList<>();
    final List<SeqRange> droppedHeard = new CopyOnWriteArrayList<>();

    /** Like the real AlertPublisher: every alert becomes a durable message in the same outbox. */
    final Alerts alerts = alert -> {
        raised.add(alert);
        try {
            buffer.append(MessageType.ALERT, ("{\"type\":\"alert\",\"code\":\"" + alert.code() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (OutboxFullException e) {
            // refused like any other message
        }
    };

    @AfterEach
    void stop() {
        if (buffer != null) {
            buffer.deactivate();
        }
    }

    static OutboxConfig config(Object... keyValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Converters.standardConverter().convert(m).to(OutboxConfig.class);
    }

    void start(OutboxConfig config) throws Exception {
        buffer = new OutboxComponent();
        buffer.alerts = alerts;
        buffer.addListener(new OutboxListener() {
            @Override
            public void appended(long seq) {
                appended.add(seq);
            }

            @Override
            public void dropped(SeqRange range) {
                droppedHeard.add(range);
            }
        });
        buffer.activate(config);
    }

    List<Alert> raisedWithCode(String code) {
        return raised.stream().filter(a -> a.code().equals(code)).toList();
    }

    @Test
    void relativeDirectoryResolvesAgainstGatewayHome() throws Exception {
        String before = System.getProperty(StoreLocation.HOME_PROPERTY);
        System.setProperty(StoreLocation.HOME_PROPERTY, home.toString());
        try {
            start(config());
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(1));
            assertThat(home.resolve("data/buffer").resolve(OutboxStore.FILE_NAME)).exists();
            assertThat(appended).containsExactly(1L);
        } finally {
            if (before == null) {
                System.clearProperty(StoreLocation.HOME_PROPERTY);
            } else {
                System.setProperty(StoreLocation.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void dropOldestAnnouncesRangesToListenersAndRaisesOneDroppedAlertWithCountAndRanges() throws Exception {
        start(config("directory", home.resolve("b").toString(), "maxBytes", 20 * ONE, "highWaterPercent", 50));
        for (int n = 1; n <= 30; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThat(droppedHeard).isNotEmpty();
        long heard = droppedHeard.stream().mapToLong(SeqRange::size).sum();
        assertThat(buffer.droppedRanges()).containsExactly(new SeqRange(1, heard));
        buffer.raiseDueAlerts();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !raisedWithCode("buffer.dropped").isEmpty());
        Alert dropped = raisedWithCode("buffer.dropped").get(0);
        assertThat(dropped.fields()).containsEntry("count", heard).containsEntry("ranges", List.of(List.of(1L, heard)));
        assertThat(raisedWithCode("buffer.high-water")).hasSize(1);
        // the alert itself is buffered (it is kept longer than telemetry)
        assertThat(buffer.read(1, 100)).extracting(OutboxEntry::type).contains(MessageType.ALERT);
        assertThat(buffer.stats().droppedTotal()).isGreaterThanOrEqualTo(heard);
    }

    @Test
    void rejectNewThrowsCountsAndRaisesDroppedWithEmptyRanges() throws Exception {
        start(config("directory", home.resolve("b").toString(), "maxBytes", 3 * ONE, "whenFull", "reject-new"));
        for (int n = 1; n <= 3; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        assertThatThrownBy(() -> buffer.append(MessageType.TELEMETRY, Messages.telemetry(4)))
                .isInstanceOf(OutboxFullException.class);
        assertThat(buffer.stats().rejectedTotal()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !raisedWithCode("buffer.dropped").isEmpty());
        assertThat(raisedWithCode("buffer.dropped").get(0).fields()).containsEntry("count", 1L)
                .containsEntry("ranges", List.of());
        assertThat(buffer.droppedRanges()).isEmpty();
        assertThat(buffer.nextSeq()).isGreaterThan(4); // the alert got seq 4, the refused message none
    }

    @Test
    void maxBytesAndPolicyChangesApplyWhileRunning() throws Exception {
        Path dir = home.resolve("b");
        start(config("directory", dir.toString(), "maxBytes", 100 * ONE, "whenFull", "reject-new"));
        buffer.alerts = null; // no alert messages in between: the counts below are exact
        for (int n = 1; n <= 9; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        buffer.modified(config("directory", dir.toString(), "maxBytes", 5 * ONE, "whenFull", "reject-new"));
        assertThat(buffer.stats().messages()).isEqualTo(9); // reject-new never drops what it holds
        assertThatThrownBy(() -> buffer.append(MessageType.TELEMETRY, Messages.telemetry(11)))
                .isInstanceOf(OutboxFullException.class);
        buffer.modified(config("directory", dir.toString(), "maxBytes", 5 * ONE, "whenFull", "drop-oldest"));
        assertThat(buffer.stats().bytes()).isLessThanOrEqualTo(5 * ONE);
        assertThat(buffer.droppedRanges()).containsExactly(new SeqRange(1, 4));
        assertThat(droppedHeard).containsExactly(new SeqRange(1, 4));
        // an invalid value is refused and the last good configuration stays
        buffer.modified(config("directory", dir.toString(), "maxBytes", 5 * ONE, "whenFull", "drop-newest"));
        assertThat(buffer.queue().limits().whenFull()).isEqualTo(FullPolicy.DROP_OLDEST);
        buffer.modified(config("directory", dir.toString(), "maxBytes", 5 * ONE, "syncIntervalMs", 0));
        long seq = buffer.append(MessageType.TELEMETRY, Messages.telemetry(12));
        assertThat(buffer.queue().syncedUpTo()).isGreaterThanOrEqualTo(seq);
    }

    @Test
    void anInvalidFirstConfigurationKeepsTheBufferOutOfServiceAndIsAudited() {
        Path dir = home.resolve("never");
        List<AuditEvent> audited = new CopyOnWriteArrayList<>();
        buffer = new OutboxComponent();
        buffer.audit = audited::add;
        assertThatThrownBy(() -> buffer.activate(config("directory", dir.toString(), "whenFull", "drop-newest")))
                .isInstanceOf(ComponentException.class).hasMessageContaining(OutboxConfig.PID);
        assertThat(buffer.isAvailable()).isFalse();
        assertThat(dir).doesNotExist();
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("config.rejected");
            assertThat(e.target()).isEqualTo(OutboxConfig.PID);
        });
    }

    @Test
    void changingTheDirectoryMovesTheBufferWithNothingLost() throws Exception {
        Path a = home.resolve("a");
        Path b = home.resolve("nested/b");
        start(config("directory", a.toString()));
        for (int n = 1; n <= 50; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        buffer.acknowledge(10);
        buffer.modified(config("directory", b.toString()));
        assertThat(buffer.queue().directory()).isEqualTo(b);
        assertThat(a.resolve(OutboxStore.FILE_NAME)).doesNotExist();
        assertThat(b.resolve(OutboxStore.FILE_NAME)).exists();
        assertThat(buffer.read(1, 100)).extracting(OutboxEntry::seq).first().isEqualTo(11L);
        assertThat(buffer.read(1, 100)).hasSize(40);
        assertThat(buffer.lastAckedSeq()).isEqualTo(10);
        assertThat(buffer.append(MessageType.TELEMETRY, Messages.telemetry(51))).isEqualTo(51);
    }

    @Test
    void aMoveOntoAnotherBufferIsRefusedAndTheBufferStaysWhereItWas() throws Exception {
        Path a = home.resolve("a");
        Path b = home.resolve("b");
        Files.createDirectories(b);
        Files.writeString(b.resolve(ReservationFile.NAME), "5\n");
        start(config("directory", a.toString()));
        buffer.alerts = null;
        for (int n = 1; n <= 5; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        buffer.modified(config("directory", b.toString(), "maxBytes", 3 * ONE));
        assertThat(buffer.queue().directory()).isEqualTo(a);
        assertThat(Files.readString(b.resolve(ReservationFile.NAME))).isEqualTo("5\n");
        // the other settings of that configuration still apply
        assertThat(buffer.queue().limits().maxBytes()).isEqualTo(3 * ONE);
        assertThat(buffer.stats().messages()).isEqualTo(3);
    }

    @Test
    void continueAboveRaisesAnAlertAndKeepsTheHeldMessages() throws Exception {
        start(config("directory", home.resolve("b").toString()));
        buffer.alerts = null;
        for (int n = 1; n <= 3; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        List<Long> durable = new CopyOnWriteArrayList<>();
        buffer.addListener(new OutboxListener() {
            @Override
            public void durable(long upTo) {
                durable.add(upTo);
            }
        });
        buffer.continueAbove(10_000);
        assertThat(buffer.nextSeq()).isEqualTo(10_004);
        assertThat(buffer.durableSeq()).isEqualTo(10_003);
        assertThat(durable).contains(10_003L);
        assertThat(buffer.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(10_001L, 10_002L, 10_003L);
        buffer.alerts = alerts;
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !raisedWithCode("buffer.seq-raised").isEmpty());
        Alert alert = raisedWithCode("buffer.seq-raised").get(0);
        assertThat(alert.fields()).containsEntry("wmsLastReceivedSeq", 10_000L).containsEntry("renumbered", 3L);
    }

    @Test
    void aCorruptFileRaisesACriticalAlert() throws Exception {
        Path dir = home.resolve("b");
        Files.createDirectories(dir);
        Files.write(dir.resolve(OutboxStore.FILE_NAME), new byte[10_000]);
        start(config("directory", dir.toString()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !raisedWithCode("buffer.corrupt").isEmpty());
        assertThat(raisedWithCode("buffer.corrupt").get(0).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(buffer.append(MessageType.TELEMETRY, Messages.telemetry(1))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aStoreThatFailsWhileRunningIsReopenedAndKeepsWhatWasCommitted() throws Exception {
        start(config("directory", home.resolve("b").toString()));
        for (int n = 1; n <= 5; n++) {
            buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        buffer.queue().flush();
        // MVStore closes itself on an I/O error or corruption; simulate that underneath the service
        buffer.queue().mvStore().closeImmediately();
        assertThatThrownBy(() -> buffer.append(MessageType.TELEMETRY, Messages.telemetry(6)))
                .isInstanceOf(RuntimeException.class);
        long seq = buffer.append(MessageType.TELEMETRY, Messages.telemetry(7));
        assertThat(seq).isGreaterThan(5);
        assertThat(buffer.read(1, 100)).extracting(OutboxEntry::seq).startsWith(1L, 2L, 3L, 4L, 5L).contains(seq);
    }
}
