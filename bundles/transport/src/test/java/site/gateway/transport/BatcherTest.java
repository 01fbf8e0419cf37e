package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

class BatcherTest {
    private final Batcher batcher = new Batcher();
    private final Settings s = Settings.from(SettingsTest.config(Map.of("batchMaxItems", 100, "batchMaxDelayMs", 20)));

    @Test
    void idleLinkSendsAtOnce() {
        assertThat(batcher.decide(1, 1_000, s).sendNow()).isTrue();
    }

    @Test
    void underLoadWaitsForTheBatchToFillButNotLongerThanTheDelay() {
        Batcher.Decision d = batcher.decide(5, 3, s);
        assertThat(d.sendNow()).isFalse();
        assertThat(d.waitMs()).isEqualTo(17);
        assertThat(batcher.decide(5, 20, s).sendNow()).isTrue();
    }

    @Test
    void fullBatchNeverWaits() {
        assertThat(batcher.decide(100, 0, s).sendNow()).isTrue();
        assertThat(batcher.decide(0, 1_000, s)).isEqualTo(Batcher.Decision.NOTHING);
    }

    @Test
    void framesAreTheMessageAloneOrABatchInSeqOrder() throws Exception {
        ObjectMapper json = new ObjectMapper();
        OutboxEntry a = entry(7, "{\"type\":\"telemetry\",\"plcId\":\"p\"}");
        OutboxEntry b = entry(8, "{\"type\":\"alert\",\"code\":\"x\"}");
        JsonNode single = json.readTree(batcher.frame(List.of(a)));
        assertThat(single.path("seq").asLong()).isEqualTo(7);
        assertThat(single.path("type").asText()).isEqualTo("telemetry");
        JsonNode batch = json.readTree(batcher.frame(List.of(a, b)));
        assertThat(batch.path("type").asText()).isEqualTo("batch");
        assertThat(batch.path("items")).hasSize(2);
        assertThat(batch.path("items").get(1).path("seq").asLong()).isEqualTo(8);
        assertThat(batch.path("items").get(1).path("code").asText()).isEqualTo("x");
        JsonNode withDropped = json.readTree(batcher.batchBytes(List.of(a), "\"dropped\":[[1,3]]"));
        assertThat(withDropped.path("dropped").get(0).get(1).asLong()).isEqualTo(3);
    }

    @Test
    void batchItemsAreEachMessageAsItGoesOnTheWireAlone() {
        List<OutboxEntry> entries = List.of(entry(1, "{}"), entry(9, "{\"type\":\"alert\"}"), entry(10, "{\"v\":\"Grüße ✓\"}"),
                entry(99_999, "{\"a\":1}"), entry(1_234_567_890_123L, "{\"type\":\"telemetry\",\"values\":{\"t1\":2.5}}"));
        StringBuilder expected = new StringBuilder("{\"type\":\"batch\",\"items\":[");
        for (int i = 0; i < entries.size(); i++) {
            expected.append(i > 0 ? "," : "").append(new String(entries.get(i).toWire(), StandardCharsets.UTF_8));
        }
        expected.append(']');
        assertThat(new String(batcher.batchBytes(entries, null), StandardCharsets.UTF_8)).isEqualTo(expected + "}");
        assertThat(batcher.frame(entries)).isEqualTo(expected + "}");
        assertThat(new String(batcher.batchBytes(entries, "\"dropped\":[[2,8]]"), StandardCharsets.UTF_8))
                .isEqualTo(expected + ",\"dropped\":[[2,8]]}");
        assertThat(new String(batcher.batchBytes(List.of(), "\"dropped\":[[2,8]]"), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"batch\",\"items\":[],\"dropped\":[[2,8]]}");
    }

    private static OutboxEntry entry(long seq, String json) {
        return new OutboxEntry(seq, MessageType.TELEMETRY, 0, json.getBytes(StandardCharsets.UTF_8));
    }
}
