package site.gateway.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

/** The double behaves as the Outbox contract says, so tests built on it prove something. */
class MemoryOutboxTest {
    final MemoryOutbox outbox = new MemoryOutbox();

    static byte[] telemetry(String tag, int value) {
        return ("{\"type\":\"telemetry\",\"readings\":[{\"tag\":\"" + tag + "\",\"value\":" + value + "}]}")
                .getBytes(UTF_8);
    }

    @Test
    void seqStartsAtOneAndReadsFromAPositionInOrder() {
        List<Long> told = new ArrayList<>();
        outbox.onAppend(told::add);
        assertThat(outbox.append(MessageType.TELEMETRY, telemetry("a", 1))).isEqualTo(1);
        assertThat(outbox.append(MessageType.TELEMETRY, telemetry("a", 2))).isEqualTo(2);
        assertThat(outbox.append(MessageType.ALERT, "{\"type\":\"alert\",\"code\":\"x\"}".getBytes(UTF_8))).isEqualTo(3);
        assertThat(told).containsExactly(1L, 2L, 3L);
        assertThat(outbox.nextSeq()).isEqualTo(4);
        assertThat(outbox.read(2, 10)).extracting(OutboxEntry::seq).containsExactly(2L, 3L);
        assertThat(outbox.read(1, 2)).extracting(OutboxEntry::seq).containsExactly(1L, 2L);
        assertThat(outbox.lastReading("a").get("value").asInt()).isEqualTo(2);
        assertThat(outbox.messages(MessageType.ALERT)).singleElement().satisfies(m -> assertThat(m.get("code").asText()).isEqualTo("x"));
    }

    @Test
    void acknowledgementIsCumulativeAndNeverGoesBack() {
        for (int i = 0; i < 3; i++) {
            outbox.append(MessageType.TELEMETRY, telemetry("a", i));
        }
        outbox.acknowledge(2);
        outbox.acknowledge(1);
        assertThat(outbox.lastAckedSeq()).isEqualTo(2);
        assertThat(outbox.stats().messages()).isEqualTo(1);
        assertThat(outbox.read(1, 10)).extracting(OutboxEntry::seq).containsExactly(3L);
        outbox.acknowledgeAll();
        assertThat(outbox.messages()).isEmpty();
        assertThat(outbox.nextSeq()).isEqualTo(4);
    }

    @Test
    void durabilityCanBeHeldBack() {
        outbox.append(MessageType.TELEMETRY, telemetry("a", 1));
        assertThat(outbox.durableSeq()).isEqualTo(1);
        outbox.holdDurability();
        outbox.append(MessageType.TELEMETRY, telemetry("a", 2));
        assertThat(outbox.durableSeq()).isEqualTo(1);
        outbox.releaseDurability();
        assertThat(outbox.durableSeq()).isEqualTo(2);
    }

    @Test
    void refusesAMessageWhoseTypeDoesNotMatch() {
        assertThatThrownBy(() -> outbox.append(MessageType.ALERT, telemetry("a", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(outbox.nextSeq()).isEqualTo(1);
    }
}
