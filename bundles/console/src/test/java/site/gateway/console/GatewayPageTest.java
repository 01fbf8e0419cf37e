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
}
