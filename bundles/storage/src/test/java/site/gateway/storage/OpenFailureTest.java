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
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/**
 * Issue 11.3: only a corrupt file is set aside. A file locked by another process, an I/O error or a
 * failed write keeps every file as it is, raises an alert and is retried. These tests may run as root,
 * where permissions do not stop anything; the I/O failures are therefore made with a file where a
 * directory should be (and a directory where a file should be), which fails for root too.
 */
class OpenFailureTest {
    static final Limits LIMITS = new Limits(1L << 20, FullPolicy.DROP_OLDEST, 10);

    @TempDir
    Path home;
    OutboxComponent buffer;
    OutboxStore first;
    final List<Alert> raised = new CopyOnWriteArrayList<>();
    final Alerts alerts = raised::add;

    @AfterEach
    void stop() {
        if (buffer != null) {
            buffer.deactivate();
        }
        if (first != null) {
            first.close();
        }
    }

    void start(Path dir) {
        Map<String, Object> m = new HashMap<>();
        m.put("directory", dir.toString());
        buffer = new OutboxComponent();
        buffer.alerts = alerts;
        buffer.activate(Converters.standardConverter().convert(m).to(OutboxConfig.class));
    }

    private List<Path> setAside(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".corrupt-")).toList();
        }
    }

    private List<String> alertCodes() {
        return raised.stream().map(Alert::code).toList();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedAndTheFirstGoesOn() throws Exception {
        Path dir = home.resolve("buffer");
        first = OutboxStore.open(dir, LIMITS, () -> 0);
        for (int n = 1; n <= 10; n++) {
            first.append(MessageType.TELEMETRY, Messages.telemetry(n));
        }
        first.flush();

        assertThatThrownBy(() -> OutboxStore.open(dir, LIMITS, () -> 0))
                .isInstanceOfSatisfying(StoreUnavailableException.class, e -> {
                    assertThat(e.locked()).isTrue();
                    assertThat(e.getMessage()).contains("locked by another process").contains("second gateway");
                });
        start(dir); // a second gateway on the same home
        assertThat(buffer.isAvailable()).isFalse();
        assertThatThrownBy(() -> buffer.append(MessageType.TELEMETRY, Messages.telemetry(99)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("second gateway");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> alertCodes().contains("buffer.unavailable"));

        // The first is unaffected: its file stays in place and it keeps working.
        assertThat(setAside(dir)).isEmpty();
        assertThat(first.append(MessageType.TELEMETRY, Messages.telemetry(11)).seq()).isEqualTo(11);
        first.flush();
        assertThat(first.read(1, 100)).hasSize(11);
        assertThat(first.droppedRanges()).isEmpty();

        // Once the first is gone, the retry opens the same buffer, with everything in it.
        first.close();
        first = null;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(buffer::isAvailable);
        assertThat(buffer.read(1, 100)).extracting(OutboxEntry::seq).hasSize(11).startsWith(1L).endsWith(11L);
        assertThat(buffer.droppedRanges()).isEmpty();
        assertThat(buffer.nextSeq()).isEqualTo(12);
    }

    @Test
    void aFileWhereTheDirectoryShouldBeIsRetriedNotFatal() throws Exception {
        Path dir = home.resolve("buffer");
        Files.writeString(dir, "in the way");
        assertThatThrownBy(() -> OutboxStore.open(dir, LIMITS, () -> 0)).isInstanceOf(StoreUnavailableException.class);
        start(dir);
        assertThat(buffer.isAvailable()).isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> alertCodes().contains("buffer.unavailable"));
        Files.delete(dir);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(buffer::isAvailable);
        assertThat(buffer.append(MessageType.TELEMETRY, Messages.telemetry(1))).isEqualTo(1);
    }

    @Test
    void anUnreadableStoreFileIsKeptNotSetAside() throws Exception {
        Path dir = home.resolve("buffer");
        Files.createDirectories(dir.resolve(OutboxStore.FILE_NAME)); // reading it fails with an I/O error
        assertThatThrownBy(() -> OutboxStore.open(dir, LIMITS, () -> 0)).isInstanceOf(StoreUnavailableException.class);
        assertThat(setAside(dir)).isEmpty();
        assertThat(dir.resolve(OutboxStore.FILE_NAME)).isDirectory();
    }

    @Test
    void aFailedWriteOfTheReservationFileKeepsTheStore() throws Exception {
        Path dir = home.resolve("buffer");
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 0)) {
            for (int n = 1; n <= 5; n++) {
                store.append(MessageType.TELEMETRY, Messages.telemetry(n));
            }
        }
        Path tmp = dir.resolve(ReservationFile.NAME + ".tmp");
        Files.createDirectories(tmp); // the reservation cannot be written
        assertThatThrownBy(() -> OutboxStore.open(dir, LIMITS, () -> 0)).isInstanceOf(StoreUnavailableException.class);
        assertThat(setAside(dir)).isEmpty();
        Files.delete(tmp);
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 0)) {
            assertThat(store.openReport()).isNull();
            assertThat(store.read(1, 100)).hasSize(5);
            assertThat(store.droppedRanges()).isEmpty();
        }
    }

    @Test
    void aCorruptFileIsStillSetAside() throws Exception {
        Path dir = home.resolve("buffer");
        Files.createDirectories(dir);
        Files.write(dir.resolve(OutboxStore.FILE_NAME), "not a buffer at all".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        try (OutboxStore store = OutboxStore.open(dir, LIMITS, () -> 5)) {
            assertThat(store.openReport().corruptMovedTo()).exists();
        }
        assertThat(setAside(dir)).hasSize(1);
    }
}
