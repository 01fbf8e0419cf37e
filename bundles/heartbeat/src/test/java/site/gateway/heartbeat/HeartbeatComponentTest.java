package site.gateway.heartbeat;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.Severity;
import site.gateway.api.wms.SessionState;
import site.gateway.testsupport.RecordingStatus;

class HeartbeatComponentTest {
    final Fakes.Session session = new Fakes.Session();
    final RecordingStatus status = new RecordingStatus();
    final Fakes.Buffer buffer = new Fakes.Buffer();
    final Fakes.Plcs plcs = new Fakes.Plcs();
    final List<Alert> alerts = new CopyOnWriteArrayList<>();
    HeartbeatComponent component;

    static HeartbeatConfig config(int overrideSeconds, long graceMs) {
        return Converters.standardConverter()
                .convert(Map.of("intervalOverrideSeconds", overrideSeconds, "outageGraceMs", graceMs))
                .to(HeartbeatConfig.class);
    }

    HeartbeatComponent start(HeartbeatConfig config) {
        component = new HeartbeatComponent(session, status, config);
        component.outbox = buffer;
        component.plcRegistry = plcs;
        component.alerts = alerts::add;
        return component;
    }

    Fakes.Open open;

    void connect() {
        session.info = Fakes.Session.info(SessionState.CONNECTED, System.currentTimeMillis(), 2, 1);
        open = new Fakes.Open(session.info);
        component.bindSessionOpen(open);
    }

    long disconnect() {
        long at = System.currentTimeMillis();
        session.info = Fakes.Session.info(SessionState.DISCONNECTED, 0, 2, 1);
        open.closeReason = "closed 1001 going away";
        component.unbindSessionOpen(open);
        return at;
    }

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    @Test
    void heartbeatsCarryTheServicesFiguresAtTheWmsInterval() throws Exception {
        long now = System.currentTimeMillis();
        buffer.stats = new OutboxStats(42, 12_600, now - 3_000, 5, 0);
        plcs.statuses = List.of(new PlcStatus("plc-1", "modbus-tcp", PlcState.CONNECTED, now - 200, null));
        start(config(0, 300));
        connect(); // the session's interval is 1 s

        await().atMost(30, SECONDS).until(() -> session.sent.size() >= 3);
        List<JsonNode> beats = session.sent.stream().map(HeartbeatComponentTest::parse).toList();
        JsonNode m = HeartbeatMessageTest.assertHeartbeatShape(session.sent.get(0)).get("metrics");
        assertThat(m.get("bufferedMessages").asLong()).isEqualTo(42);
        assertThat(m.get("oldestBufferedAgeMs").asLong()).isBetween(3_000L, System.currentTimeMillis() - now + 3_000L);
        assertThat(m.get("droppedMessages").asLong()).isEqualTo(5);
        assertThat(m.get("reconnects").asLong()).isEqualTo(2);
        assertThat(m.get("plcs").get(0).get("plcId").asText()).isEqualTo("plc-1");
        assertThat(m.get("rssBytes").asLong()).isPositive();
        assertThat(m.get("memoryUsedBytes").asLong()).isPositive();
        assertThat(beats.get(0).get("status").asText()).isEqualTo("operational");
        // Never sooner than the interval (a seconds/milliseconds mix-up shows); later is the machine's business,
        // and an interval far too long does not bring three heartbeats within the wait above.
        long gap = beats.get(2).get("ts").asLong() - beats.get(1).get("ts").asLong();
        assertThat(gap).as("interval between heartbeats").isGreaterThanOrEqualTo(1_000L);
    }

    @Test
    void outageDegradesAfterGraceAndReconnectionRaisesWmsUnreachableWithItsLength() throws Exception {
        start(config(1, 300));
        connect();
        await().atMost(30, SECONDS).until(() -> session.sent.size() >= 1);

        long outageStart = disconnect();
        int sentBefore = session.sent.size();
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);
        assertThat(System.currentTimeMillis() - outageStart).isGreaterThanOrEqualTo(300);
        assertThat(status.problem("wms")).startsWith("WMS unreachable since").contains("closed 1001");
        // 1.2 s of outage in which no heartbeat goes out (the outage length is checked below)
        await().during(1_200, MILLISECONDS).atMost(30, SECONDS).until(() -> session.sent.size() == sentBefore);

        connect();
        long reconnectedAt = System.currentTimeMillis();
        await().atMost(30, SECONDS).until(() -> !alerts.isEmpty());
        Alert alert = alerts.get(0);
        assertThat(alert.code()).isEqualTo("wms.unreachable");
        assertThat(alert.severity()).isEqualTo(Severity.WARNING);
        long startTs = ((Number) alert.fields().get("outageStartTs")).longValue();
        long outageMs = ((Number) alert.fields().get("outageMs")).longValue();
        assertThat(startTs).isBetween(outageStart, reconnectedAt);
        assertThat(outageMs).isBetween(1_200L, reconnectedAt - outageStart + 50);
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.OPERATIONAL);
        assertThat(status.transitions).containsExactly(GatewayState.DEGRADED, GatewayState.OPERATIONAL);
        await().atMost(30, SECONDS).until(() -> session.sent.size() > sentBefore);
        assertThat(alerts).hasSize(1);
    }

    @Test
    void interruptionShorterThanTheGraceIsNeitherDegradedNorAlerted() {
        start(config(1, 5_000));
        connect();
        await().atMost(30, SECONDS).until(() -> session.sent.size() >= 1);
        int before = session.sent.size();

        disconnect();
        connect();
        await().atMost(30, SECONDS).until(() -> session.sent.size() > before);

        assertThat(alerts).isEmpty();
        assertThat(status.transitions).isEmpty();
    }

    @Test
    void notConnectedAtStartCountsAsAnOutageFromActivation() {
        long activatedAt = System.currentTimeMillis();
        start(config(1, 300));
        long startReturnedAt = System.currentTimeMillis();
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);

        connect();
        await().atMost(30, SECONDS).until(() -> !alerts.isEmpty());
        assertThat(((Number) alerts.get(0).fields().get("outageStartTs")).longValue())
                .isBetween(activatedAt, startReturnedAt);
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.OPERATIONAL);
    }

    /** Issue 12.3: started while the session is already open, the component sees it at once (the marker is bound). */
    @Test
    void startedWhileTheSessionIsOpen_noFalseOutage_andTheNextOutageIsReportedOnce() {
        session.info = Fakes.Session.info(SessionState.CONNECTING, 0, 0, 1); // what a racing read may see
        start(config(1, 300));
        open = new Fakes.Open(Fakes.Session.info(SessionState.CONNECTED, System.currentTimeMillis(), 0, 1));
        session.info = open.opened();
        component.bindSessionOpen(open); // DS binds the marker right after construction
        await().atMost(5, SECONDS).until(() -> session.sent.size() >= 2);
        assertThat(status.transitions).as("no 'not connected yet' outage while data flows").isEmpty();

        long outageStart = disconnect();
        await().atMost(5, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);
        connect();
        await().atMost(5, SECONDS).until(() -> !alerts.isEmpty());
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.code()).isEqualTo("wms.unreachable");
            assertThat(((Number) a.fields().get("outageStartTs")).longValue()).isBetween(outageStart - 1_000, outageStart + 1_000);
        });
    }

    @Test
    void anOutageAlertRaisedBeforeTheAlertServiceWaitsForIt() {
        start(config(1, 300));
        component.alerts = null;
        connect();
        disconnect();
        await().atMost(5, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);
        connect();
        await().atMost(5, SECONDS).until(() -> status.current().state() == GatewayState.OPERATIONAL);
        assertThat(alerts).isEmpty();
        component.bindAlerts(alerts::add);
        await().atMost(5, SECONDS).until(() -> alerts.size() == 1);
        assertThat(alerts.get(0).code()).isEqualTo("wms.unreachable");
    }

    @Test
    void silentWmsDegradesUntilItsHeartbeatArrives() {
        start(config(1, 300));
        connect();
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);
        assertThat(status.problem("wms")).startsWith("no heartbeat from the WMS");

        session.heardFromWms(System.currentTimeMillis());
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.OPERATIONAL);
        assertThat(alerts).isEmpty();
    }

    @Test
    void overrideChangesTheIntervalLiveAndDeactivationStopsAndClears() {
        start(config(0, 300));
        connect();
        await().atMost(30, SECONDS).until(() -> session.sent.size() >= 2);

        component.modified(config(3_600, 300));
        int afterChange = session.sent.size();
        // at most the heartbeat in flight and the one already due at the old 1 s interval; the old interval
        // would have sent about 4 in this time
        await().during(4_000, MILLISECONDS).atMost(30, SECONDS).until(() -> session.sent.size() <= afterChange + 2);

        disconnect();
        await().atMost(30, SECONDS).until(() -> status.current().state() == GatewayState.DEGRADED);
        component.deactivate();
        component = null;
        assertThat(status.current().state()).isEqualTo(GatewayState.OPERATIONAL);
    }

    @Test
    void anInvalidFirstConfigurationKeepsTheHeartbeatOutOfService() {
        assertThatThrownBy(() -> start(config(-5, 300))).isInstanceOf(ComponentException.class)
                .hasMessageContaining(HeartbeatConfig.PID).hasMessageContaining("intervalOverrideSeconds");
        assertThat(component).as("no heartbeat thread started").isNull();
    }

    @Test
    void invalidChangeIsAuditedAndKeepsThePreviousSettings() {
        start(config(1, 300));
        List<site.gateway.api.audit.AuditEvent> audited = new CopyOnWriteArrayList<>();
        component.audit = audited::add;
        component.modified(config(-5, 300));
        assertThat(audited).singleElement().extracting(site.gateway.api.audit.AuditEvent::action).isEqualTo("config.rejected");
        connect();
        await().atMost(30, SECONDS).until(() -> session.sent.size() >= 2);
    }

    private static JsonNode parse(String json) {
        try {
            return HeartbeatMessageTest.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
