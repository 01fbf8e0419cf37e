package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

/**
 * Reads the committed fixture store written by the previous version (see
 * {@code src/test/resources/fixtures/outbox-format1/README.md}): every message comes back with its type,
 * stamp and JSON, the acknowledgement holds, and new messages continue the numbering; its messages move from the
 * previous format's single map to their segments once, and stay readable after the next opening.
 */
class PreviousFormatStoreTest {
    private static final String FIXTURE = "/fixtures/outbox-format1/";

    @TempDir
    Path dir;

    @Test
    void aStoreWrittenByThePreviousVersionReadsUnchanged() throws Exception {
        copyFixture(OutboxStore.FILE_NAME);
        copyFixture("seq.reserved");

        try (OutboxStore store = OutboxStore.open(dir, OutboxStoreTest.ROOMY, () -> 2_000_000_000_000L)) {
            assertThat(store.openReport()).isNull();
            assertThat(store.lastAckedSeq()).isEqualTo(1);
            assertThat(store.nextSeq()).isEqualTo(5);

            List<OutboxEntry> entries = store.read(1, 100);
            assertThat(entries).extracting(OutboxEntry::seq).containsExactly(2L, 3L, 4L);
            assertThat(entries).extracting(OutboxEntry::type)
                    .containsExactly(MessageType.COMMAND_RESULT, MessageType.ALERT, MessageType.TELEMETRY);
            assertThat(entries).extracting(OutboxEntry::createdAt).containsOnly(StoreFixtureWriter.CREATED_AT);
            assertThat(entries).extracting(e -> Messages.marker(e.json())).containsExactly(2L, 3L, 4L);
            assertThat(entries.get(0).json()).isEqualTo(StoreFixtureWriter.commandResult(2));
            assertThat(entries.get(1).json()).isEqualTo(Messages.alert(3));
            assertThat(entries.get(2).json()).isEqualTo(Messages.telemetry(4));

            assertThat(store.append(MessageType.ALERT, Messages.alert(5)).seq()).isEqualTo(5);
            org.h2.mvstore.MVMap<Long, Stored> queue = store.mvStore().openMap(OutboxStore.MAP_NAME, MVStores.mapBuilder());
            assertThat(queue.ceilingKey(1L)).as("the messages moved out of the previous format's single map").isNull();
            assertThat(store.mvStore().hasMap(Segments.PREFIX + 0)).isTrue();
        }
        try (OutboxStore store = OutboxStore.open(dir, OutboxStoreTest.ROOMY, () -> 2_000_000_000_000L)) {
            assertThat(store.read(1, 100)).extracting(OutboxEntry::seq).containsExactly(2L, 3L, 4L, 5L);
            assertThat(store.stats().messages()).isEqualTo(4);
            store.checkLedger();
        }
    }

    private void copyFixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(FIXTURE + name)) {
            assertThat(in).as("fixture %s on the test classpath", name).isNotNull();
            Files.copy(in, dir.resolve(name));
        }
    }
}
