package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

class DeliveryFrameTest {

    @Test
    void batchesAreCutToFitOneMebibyteFrame() {
        List<OutboxEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            entries.add(new OutboxEntry(i, MessageType.TELEMETRY, 0, new byte[5_000]));
        }
        List<OutboxEntry> frame = Delivery.fitFrame(entries);
        assertThat(frame.size()).isBetween(200, 210);
        long bytes = frame.stream().mapToLong(e -> e.toWire().length + 1).sum();
        assertThat(bytes).isLessThanOrEqualTo(Delivery.MAX_FRAME_BYTES);
        assertThat(Delivery.fitFrame(List.of(new OutboxEntry(1, MessageType.ALERT, 0, new byte[2_000_000])))).hasSize(1);
        assertThat(Delivery.fitFrame(entries.subList(0, 10))).hasSize(10);
    }
}
