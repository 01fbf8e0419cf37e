package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.outbox.MessageType;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.OutboxStore;

/** A buffer written by the storage bundle's own OutboxStore, read back by gateway-ctl. */
class BufferStatsCommandTest {
    @TempDir
    Path home;

    @Test
    void readsWhatTheStoreHoldsAsTheStoreCountsIt() throws Exception {
        Path dir = home.resolve("data/buffer");
        long storeBytes;
        try (OutboxStore store = OutboxStore.open(dir, new Limits(1 << 20, FullPolicy.DROP_OLDEST, 0), () -> 1_700_000_000_000L)) {
            for (int i = 0; i < 5; i++) {
                store.append(MessageType.TELEMETRY, ("{\"type\":\"telemetry\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            store.append(MessageType.ALERT, "{\"type\":\"alert\"}".getBytes(StandardCharsets.UTF_8));
            store.acknowledge(2);
            store.flush();
            storeBytes = store.stats().bytes();
        }
        Ctl stats = Ctl.run(home, home, "buffer", "stats", "--json");
        assertThat(stats.exit()).as(stats.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(stats.out());
        assertThat(json.path("messages").asLong()).isEqualTo(4);
        assertThat(json.path("byType").path("telemetry").asLong()).isEqualTo(3);
        assertThat(json.path("byType").path("alert").asLong()).isEqualTo(1);
        assertThat(json.path("firstSeq").asLong()).isEqualTo(3);
        assertThat(json.path("lastSeq").asLong()).isEqualTo(6);
        assertThat(json.path("lastAcked").asLong()).isEqualTo(2);
        assertThat(json.path("bytes").asLong()).as("the bytes the store counts").isEqualTo(storeBytes);
        assertThat(json.path("oldestCreatedAt").asText()).isEqualTo("2023-11-14T22:13:20Z");

        Ctl human = Ctl.run(home, home, "buffer", "stats");
        assertThat(human.out()).contains("messages          4").contains("3..6, last acknowledged 2");
    }

    @Test
    void countsAcrossTheMapsOfSixteenThousandSeqsAndSkipsAcknowledgedMessagesStillInAMap() throws Exception {
        Path dir = home.resolve("data/buffer");
        long seqsPerMap = 16_384;
        try (OutboxStore store = OutboxStore.open(dir, new Limits(64 << 20, FullPolicy.DROP_OLDEST, 10), () -> 1_700_000_000_000L)) {
            for (int i = 0; i < seqsPerMap + 10; i++) {
                store.append(MessageType.TELEMETRY, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            }
            store.acknowledge(seqsPerMap + 3);
            store.flush(); // the first map goes; seqs up to 16,387 of the second stay in it, acknowledged
        }
        Ctl stats = Ctl.run(home, home, "buffer", "stats", "--json");
        assertThat(stats.exit()).as(stats.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(stats.out());
        assertThat(json.path("messages").asLong()).isEqualTo(7);
        assertThat(json.path("firstSeq").asLong()).isEqualTo(seqsPerMap + 4);
        assertThat(json.path("lastSeq").asLong()).isEqualTo(seqsPerMap + 10);
        assertThat(json.path("lastAcked").asLong()).isEqualTo(seqsPerMap + 3);
    }

    @Test
    void aBufferHeldByARunningGatewayIsNotRead() throws Exception {
        Path dir = home.resolve("data/buffer");
        try (OutboxStore store = OutboxStore.open(dir, new Limits(1 << 20, FullPolicy.DROP_OLDEST, 0), System::currentTimeMillis)) {
            store.append(MessageType.TELEMETRY, "{}".getBytes(StandardCharsets.UTF_8));
            Ctl stats = Ctl.run(home, home, "buffer", "stats");
            assertThat(stats.exit()).isEqualTo(3);
            assertThat(stats.err()).contains("is in use by a running gateway").contains("gateway-ctl status");
        }
        assertThat(Files.exists(dir.resolve("outbox.mv.db"))).isTrue();
    }

    @Test
    void theDirectoryOfTheHomesConfIsUsed() throws Exception {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("gateway.buffer.cfg"), "directory = elsewhere/buf\n");
        Ctl stats = Ctl.run(home, home, "buffer", "stats");
        assertThat(stats.exit()).isEqualTo(2);
        assertThat(stats.err()).contains("no buffer file " + home.resolve("elsewhere/buf/outbox.mv.db"));
    }
}
