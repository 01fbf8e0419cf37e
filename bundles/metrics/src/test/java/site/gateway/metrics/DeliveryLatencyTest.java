package site.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DeliveryLatencyTest {
    @Test
    void timesEachAcknowledgedSeqOnceAndSkipsDroppedOnes() {
        DeliveryLatency latency = new DeliveryLatency(10);
        latency.appended(1, 0);
        latency.appended(2, 1_000_000_000L);
        latency.appended(3, 2_000_000_000L);
        latency.dropped(2, 2);
        List<Double> seen = new ArrayList<>();
        latency.acknowledged(3, 3_000_000_000L, seen::add);
        assertThat(seen).containsExactly(3.0, 1.0);
        latency.acknowledged(3, 4_000_000_000L, seen::add);
        assertThat(seen).hasSize(2);
    }

    @Test
    void stopsTimingWhileTooManyAreWaiting() {
        DeliveryLatency latency = new DeliveryLatency(2);
        latency.appended(1, 0);
        latency.appended(2, 0);
        latency.appended(3, 0);
        assertThat(latency.waiting()).isEqualTo(2);
    }
}
