package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
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
        JsonNode single = json.readTree(frame(List.of(a)));
        assertThat(single.path("seq").asLong()).isEqualTo(7);
        assertThat(single.path("type").asText()).isEqualTo("telemetry");
        JsonNode batch = json.readTree(frame(List.of(a, b)));
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
        assertThat(frame(entries)).isEqualTo(expected + "}");
        assertThat(new String(batcher.batchBytes(entries, "\"dropped\":[[2,8]]"), StandardCharsets.UTF_8))
                .isEqualTo(expected + ",\"dropped\":[[2,8]]}");
        assertThat(new String(batcher.batchBytes(List.of(), "\"dropped\":[[2,8]]"), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"batch\",\"items\":[],\"dropped\":[[2,8]]}");
    }

    @Test
    void aBatchWrittenIntoAReusedLongerArrayIsExactlyTheFrame() {
        FrameBuffers buffers = new FrameBuffers(2);
        List<OutboxEntry> longer = List.of(entry(1, "{\"type\":\"telemetry\",\"values\":{\"t1\":2.5,\"t2\":3.5}}"),
                entry(2, "{\"type\":\"telemetry\",\"values\":{\"t1\":4.5,\"t2\":5.5}}"));
        List<OutboxEntry> shorter = List.of(entry(3, "{\"a\":1}"), entry(4, "{}"));
        ByteBuffer first = batcher.frame(longer, buffers);
        ByteBuffer inFlight = batcher.frame(shorter, buffers); // keeps one frame in flight, so the pool keeps arrays
        buffers.written(first.array());
        ByteBuffer reused = batcher.frame(shorter, buffers);
        assertThat(reused.array()).isSameAs(first.array());
        assertThat(reused.array().length).isGreaterThan(reused.remaining());
        String expected = new String(batcher.batchBytes(shorter, null), StandardCharsets.UTF_8);
        assertThat(StandardCharsets.UTF_8.decode(reused).toString()).isEqualTo(expected);
        assertThat(StandardCharsets.UTF_8.decode(inFlight).toString()).isEqualTo(expected);
    }

    @Test
    void aMessageAloneIsItsWireFormAndNeedsNoLeasedArray() {
        FrameBuffers buffers = new FrameBuffers(2);
        OutboxEntry alone = entry(5, "{\"type\":\"alert\"}");
        ByteBuffer frame = batcher.frame(List.of(alone), buffers);
        assertThat(frame.array()).isEqualTo(alone.toWire());
        buffers.written(frame.array()); // not leased: ignored
        assertThat(buffers.freeCount()).isZero();
    }

    /** The frame as text, as {@code WebSocketSession}'s sink builds it. */
    private String frame(List<OutboxEntry> entries) {
        return StandardCharsets.UTF_8.decode(batcher.frame(entries, new FrameBuffers(1))).toString();
    }

    private static OutboxEntry entry(long seq, String json) {
        return new OutboxEntry(seq, MessageType.TELEMETRY, 0, json.getBytes(StandardCharsets.UTF_8));
    }
}
