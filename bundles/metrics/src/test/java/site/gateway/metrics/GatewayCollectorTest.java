package site.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;

/** The WMS session's counters as Prometheus counters: names, types and values as a scraper reads them. */
class GatewayCollectorTest {
    @Test
    void exportsResentMessagesAndFailoversOfTheSessionAsCounters() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.session = new WmsSession() {
            @Override
            public SessionInfo info() {
                return new SessionInfo(SessionState.CONNECTED, "https://wms-b.example", "s-1", 1, 2, 10, 0.5, 1,
                        SessionInfo.WEBSOCKET, 17, 3);
            }

            @Override
            public boolean send(String json) {
                return false;
            }
        };
        metrics.activate();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.write(out);
            String text = out.toString(StandardCharsets.UTF_8);

            assertThat(types(text)).containsEntry("gateway_messages_resent_total", "counter")
                    .containsEntry("gateway_wms_failovers_total", "counter");
            assertThat(samples(text)).containsEntry("gateway_messages_resent_total", 17.0)
                    .containsEntry("gateway_wms_failovers_total", 3.0)
                    .containsEntry("gateway_wms_reconnects_total", 2.0);
        } finally {
            metrics.deactivate();
        }
    }

    /** {@code # TYPE name type} lines of the text format (0.0.4). */
    private static Map<String, String> types(String text) {
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 4 && parts[0].equals("#") && parts[1].equals("TYPE")) {
                types.put(parts[2] + ("counter".equals(parts[3]) && !parts[2].endsWith("_total") ? "_total" : ""), parts[3]);
            }
        }
        return types;
    }

    /** Samples without labels: {@code name value}. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.split(" ");
            if (!line.startsWith("#") && parts.length == 2 && !parts[0].contains("{")) {
                samples.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return samples;
    }
}
