package site.gateway.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.GatewayState;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;

class HeartbeatMessageTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> INTEGER_METRICS = List.of("memoryUsedBytes", "memoryMaxBytes", "rssBytes",
            "bufferedMessages", "bufferedBytes", "oldestBufferedAgeMs", "droppedMessages", "reconnects",
            "connectedSinceTs");
    static final List<String> DECIMAL_METRICS = List.of("cpuPercent", "processCpuPercent", "sentPerSecond");

    /** Asserts the §3.4 shape: every field present with the right JSON type. */
    static JsonNode assertHeartbeatShape(String json) throws Exception {
        JsonNode hb = JSON.readTree(json);
        // auditHead (issue 13) is an addition the WMS may ignore; the §3.4 fields are exactly these
        assertThat(hb.fieldNames()).toIterable().filteredOn(f -> !f.equals("auditHead"))
                .containsExactlyInAnyOrder("type", "ts", "status", "endpoint", "metrics");
        assertThat(hb.get("type").asText()).isEqualTo("heartbeat");
        assertThat(hb.get("ts").isIntegralNumber()).isTrue();
        assertThat(hb.get("status").asText()).isIn("operational", "degraded");
        assertThat(hb.get("endpoint").isTextual()).isTrue();
        JsonNode m = hb.get("metrics");
        assertThat(m.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(
                concat(INTEGER_METRICS, DECIMAL_METRICS, List.of("plcs")));
        for (String name : INTEGER_METRICS) {
            assertThat(m.get(name).isIntegralNumber()).as(name).isTrue();
            assertThat(m.get(name).asLong()).as(name).isNotNegative();
        }
        for (String name : DECIMAL_METRICS) {
            assertThat(m.get(name).isNumber()).as(name).isTrue();
        }
        assertThat(m.get("cpuPercent").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.get("processCpuPercent").asDouble()).isBetween(0.0, 100.0);
        assertThat(m.get("plcs").isArray()).isTrue();
        for (JsonNode plc : m.get("plcs")) {
            assertThat(plc.fieldNames()).toIterable().containsExactlyInAnyOrder("plcId", "status", "lastReadTs");
            assertThat(plc.get("plcId").isTextual()).isTrue();
            assertThat(plc.get("status").asText()).isIn("connected", "unreachable", "disabled");
            assertThat(plc.get("lastReadTs").isIntegralNumber()).isTrue();
        }
        return hb;
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    @Test
    void carriesEveryFieldWithTheFiguresItWasGiven() throws Exception {
        long now = 1_764_259_300_000L;
        SessionInfo session = new SessionInfo(SessionState.CONNECTED, "https://wms-a.example:8443", "s-7f3a",
                now - 60_000, 3, 10, 123.45, now - 10);
        SystemMetrics.Sample system = new SystemMetrics.Sample(12.3, 4.5, 50_000_000, 256_000_000, 90_000_000);
        OutboxStats buffer = new OutboxStats(65, 20_000, now - 5_000, 7, 2);
        List<PlcStatus> plcs = List.of(new PlcStatus("plc-1", "modbus-tcp", PlcState.CONNECTED, now - 100, null),
                new PlcStatus("plc-2", "s7", PlcState.UNREACHABLE, 0, "timeout"));

        JsonNode hb = assertHeartbeatShape(HeartbeatMessage.build(now, GatewayState.DEGRADED, session, system, buffer, plcs));

        assertThat(hb.get("ts").asLong()).isEqualTo(now);
        assertThat(hb.get("status").asText()).isEqualTo("degraded");
        assertThat(hb.get("endpoint").asText()).isEqualTo("https://wms-a.example:8443");
        JsonNode m = hb.get("metrics");
        assertThat(m.get("cpuPercent").asDouble()).isEqualTo(12.3);
        assertThat(m.get("processCpuPercent").asDouble()).isEqualTo(4.5);
        assertThat(m.get("memoryUsedBytes").asLong()).isEqualTo(50_000_000);
        assertThat(m.get("memoryMaxBytes").asLong()).isEqualTo(256_000_000);
        assertThat(m.get("rssBytes").asLong()).isEqualTo(90_000_000);
        assertThat(m.get("bufferedMessages").asLong()).isEqualTo(65);
        assertThat(m.get("bufferedBytes").asLong()).isEqualTo(20_000);
        assertThat(m.get("oldestBufferedAgeMs").asLong()).isEqualTo(5_000);
        assertThat(m.get("droppedMessages").asLong()).isEqualTo(9);
        assertThat(m.get("reconnects").asLong()).isEqualTo(3);
        assertThat(m.get("connectedSinceTs").asLong()).isEqualTo(now - 60_000);
        assertThat(m.get("sentPerSecond").asDouble()).isEqualTo(123.5);
        assertThat(m.get("plcs").get(1).get("status").asText()).isEqualTo("unreachable");
        assertThat(m.get("plcs").get(0).get("lastReadTs").asLong()).isEqualTo(now - 100);
    }

    /** Issue 13 point 5: the WMS gets a copy of the audit trail's high-water mark with every heartbeat. */
    @Test
    void theAuditHeadTravelsWithTheHeartbeat() throws Exception {
        SessionInfo session = new SessionInfo(SessionState.CONNECTED, null, null, 0, 0, 10, 0, 0);
        String hash = "ab".repeat(32);
        JsonNode hb = assertHeartbeatShape(HeartbeatMessage.build(1, GatewayState.OPERATIONAL, session,
                new SystemMetrics().sample(), null, List.of(), new site.gateway.api.audit.AuditHead(42, hash)));
        assertThat(hb.get("auditHead").get("seq").asLong()).isEqualTo(42);
        assertThat(hb.get("auditHead").get("hash").asText()).isEqualTo(hash);
    }

    @Test
    void withoutOutboxOrPlcsTheFieldsAreStillThere() throws Exception {
        SessionInfo session = new SessionInfo(SessionState.CONNECTED, null, null, 0, 0, 10, 0, 0);
        String json = HeartbeatMessage.build(1, GatewayState.OPERATIONAL, session, new SystemMetrics().sample(), null,
                List.of());
        JsonNode m = assertHeartbeatShape(json).get("metrics");
        assertThat(m.get("bufferedMessages").asLong()).isZero();
        assertThat(m.get("oldestBufferedAgeMs").asLong()).isZero();
        assertThat(m.get("plcs")).isEmpty();
    }

    @Test
    void systemMetricsAreRealReadings() {
        SystemMetrics metrics = new SystemMetrics();
        SystemMetrics.Sample sample = metrics.sample();
        assertThat(sample.memoryUsedBytes()).isPositive();
        assertThat(sample.memoryMaxBytes()).isGreaterThanOrEqualTo(sample.memoryUsedBytes());
        assertThat(sample.rssBytes()).as("VmRSS on Linux").isGreaterThan(sample.memoryUsedBytes() / 4);
        assertThat(SystemMetrics.parseVmRss(List.of("Name:\tjava", "VmRSS:\t  123456 kB", "VmSwap: 0 kB")))
                .isEqualTo(123_456L * 1024);
        assertThat(SystemMetrics.parseVmRss(List.of("Name:\tjava"))).isZero();
    }

    @Test
    void processCpuRisesWhileThisProcessWorks() {
        SystemMetrics metrics = new SystemMetrics();
        double seen = 0;
        long until = System.currentTimeMillis() + 20_000;
        long sink = 0;
        while (seen <= 0 && System.currentTimeMillis() < until) {
            long spinUntil = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < spinUntil) {
                sink += System.nanoTime() % 7;
            }
            SystemMetrics.Sample s = metrics.sample();
            seen = s.processCpuPercent();
            assertThat(s.cpuPercent()).isBetween(0.0, 100.0);
            assertThat(s.cpuPercent()).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(sink).isNotNegative();
        assertThat(seen).as("process CPU while spinning").isPositive().isLessThanOrEqualTo(100.0);
    }
}
