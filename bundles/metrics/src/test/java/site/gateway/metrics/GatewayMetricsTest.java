package site.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.SeqRange;

class GatewayMetricsTest {
    @Test
    void writesJvmAndGatewayFamiliesInTheTextFormat() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.activate();
        try {
            metrics.appended(1);
            metrics.dropped(new SeqRange(5, 7));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.write(out);
            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(metrics.contentType()).startsWith("text/plain");
            assertThat(text).contains("# TYPE gateway_messages_appended_total counter", "gateway_messages_appended_total 1.0",
                    "gateway_messages_dropped_total 3.0", "# TYPE gateway_delivery_latency_seconds histogram",
                    "jvm_memory_used_bytes");
        } finally {
            metrics.deactivate();
        }
    }
}
