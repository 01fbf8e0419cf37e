package site.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;

class GatewayPageTest {
    private static final GatewayIdentity IDENTITY = new GatewayIdentity() {
        @Override
        public String tenantId() {
            return "acme";
        }

        @Override
        public String gatewayId() {
            return "gw-01";
        }
    };

    @Test
    void showsStateBufferAndPlcs() {
        String html = new GatewayPage().render(IDENTITY,
                new StatusSnapshot(GatewayState.DEGRADED, "plc:line1: no answer", 1L), null,
                new OutboxStats(42, 12_600, 1_764_259_200_000L, 3, 0),
                List.of(new PlcStatus("line1", "modbus-tcp", PlcState.UNREACHABLE, 0, "connection refused")));

        assertThat(html).contains("<td>degraded</td>", "<td>42</td>", "<td>line1</td>", "<td>unreachable</td>",
                "connection refused", "2025-11-27T16:00:00Z", "Transport</th><td>not installed");
    }

    @Test
    void encodesEverythingItShows() {
        String html = new GatewayPage().render(IDENTITY, null, null, null,
                List.of(new PlcStatus("<script>x</script>", "modbus-tcp", PlcState.CONNECTED, 0, null)));

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;x&lt;/script&gt;");
    }

    @Test
    void showsEachHealthCheckAndEmbedsTheLiveDataSafely() {
        List<CheckLine> health = List.of(new CheckLine("PLC line1", "CRITICAL", "PLC line1 (modbus-tcp) unreachable"),
                new CheckLine("Buffer", "OK", "Buffer: 0 messages"));
        History history = new History(3);
        history.add(1000, Double.NaN, 5);
        history.add(11_000, 2.5, 7);
        String live = LiveData.json(12_000, new StatusSnapshot(GatewayState.OPERATIONAL, "", 1L),
                List.of(new CheckLine("</script><script>alert(1)</script>", "WARN", "x")), history.samples());
        String html = new GatewayPage().render(IDENTITY, null, null, null, List.of(), health, live, "/* script */");

        assertThat(html).contains("<tr class=\"hc-CRITICAL\"><td>PLC line1</td><td>CRITICAL</td>", "<td>Buffer</td><td>OK</td>",
                "id=\"chart-rate\"", "id=\"chart-depth\"", "<script>/* script */</script>");
        assertThat(live).contains("\"rate\":[null,2.5]", "\"depth\":[5,7]", "\"ts\":[1000,11000]");
        assertThat(html).as("nothing in the data can close the script element")
                .doesNotContain("</script><script>alert(1)").contains("\\u003c/script\\u003e");
    }

    @Test
    void saysSoWhenTheHealthFeatureIsNotRunning() {
        String html = new GatewayPage().render(IDENTITY, null, null, null, List.of(), null, null, null);
        assertThat(html).contains("Health checks not running").doesNotContain("chart-rate");
    }

    @Test
    void historyKeepsTheLastSamplesOldestFirst() {
        History history = new History(2);
        history.add(1, 1, 10);
        history.add(2, 2, 20);
        history.add(3, 3, 30);
        assertThat(history.samples().ts()).containsExactly(2, 3);
        assertThat(history.samples().depth()).containsExactly(20, 30);
    }
}
