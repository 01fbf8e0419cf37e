package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Commands end to end: the WMS sandbox signs with its own JCS and key and sends over TLS 1.3 WebSocket;
 * the real transport hands them to CommandService; the real PLC layer writes through PLC4X to a Modbus
 * server; acks and durable command.results come back to the sandbox.
 */
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static DevPki pki;

    @TempDir
    Path dir;
    WmsSandbox wms;
    ModbusServer modbus;
    GatewayStack gw;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate("acme", "gw-e2e-01");
    }

    @BeforeEach
    void start() throws Exception {
        wms = WmsSandbox.builder(pki).start();
        modbus = new ModbusServer();
    }

    private void startGateway(Consumer<Map<String, Object>> configure) throws Exception {
        gw = new GatewayStack(pki, wms, modbus, dir.resolve("commands"));
        configure.accept(gw.config);
        gw.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        modbus.close();
        wms.close();
    }

    private ObjectNode move(int value) {
        ObjectNode payload = Json.object();
        payload.putArray("writes").addObject().put("tag", GatewayStack.TARGET).put("value", value);
        return wms.newCommand(GatewayStack.PLC, "move", payload);
    }

    private JsonNode ack(ObjectNode sent) {
        return wms.awaitCommandAck(sent.path("commandId").asText(), WAIT);
    }

    private JsonNode result(ObjectNode sent) {
        return wms.awaitCommandResult(pki.gatewayId(), sent.path("commandId").asText(), WAIT).json();
    }

    private boolean resultReceived(String commandId) {
        return wms.receivedDurable(pki.gatewayId()).stream().anyMatch(m -> "command.result".equals(m.type())
                && commandId.equals(m.json().path("commandId").asText()));
    }

    @Test
    void aValidMoveWritesTheRegisterAndIsAcknowledgedAndReported() throws Exception {
        startGateway(c -> { });
        ObjectNode sent = wms.sendCommand(move(12));

        JsonNode ack = ack(sent);
        assertThat(ack.path("accepted").asBoolean()).isTrue();
        JsonNode result = result(sent);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("plcId").asText()).isEqualTo(GatewayStack.PLC);
        assertThat(result.path("tenantId").asText()).isEqualTo("acme");
        assertThat(result.path("result").path("written").get(0).path("tag").asText()).isEqualTo(GatewayStack.TARGET);
        assertThat(result.path("seq").asLong()).isPositive();
        assertThat(modbus.holding(5)).isEqualTo(12);
        assertThat(wms.protocolViolations()).isEmpty();
        assertThat(wms.rejections()).isEmpty();
    }

    @Test
    void aQueryReturnsTheServersValues() throws Exception {
        startGateway(c -> { });
        modbus.setHolding(6, 321);
        modbus.setHolding(5, -4);
        ObjectNode payload = Json.object();
        payload.putArray("reads").add(GatewayStack.SPEED).add(GatewayStack.TARGET);
        ObjectNode sent = wms.sendCommand(wms.newCommand(GatewayStack.PLC, "query", payload));
        assertThat(ack(sent).path("accepted").asBoolean()).isTrue();
        JsonNode values = result(sent).path("result").path("values");
        assertThat(values.get(0).path("tag").asText()).isEqualTo(GatewayStack.SPEED);
        assertThat(values.get(0).path("value").asInt()).isEqualTo(321);
        assertThat(values.get(0).path("quality").asText()).isEqualTo("good");
        assertThat(values.get(1).path("value").asInt()).isEqualTo(-4);
    }

    @Test
    void everyRejectionReasonLeavesTheServerUntouched() throws Exception {
        startGateway(c -> { });
        ObjectNode first = wms.sendCommand(move(7));
        assertThat(result(first).path("status").asText()).isEqualTo("succeeded");
        modbus.setHolding(5, 0);

        Map<String, ObjectNode> cases = new LinkedHashMap<>();
        ObjectNode missing = move(1);
        missing.remove("issuedAt");
        cases.put("invalid-payload", wms.sendCommand(missing));
        ObjectNode unknownKey = move(2);
        unknownKey.put("kid", "wms-cmd-unknown");
        cases.put("unknown-key", wms.sendCommand(unknownKey));
        ObjectNode tampered = wms.commandSigner().sign(move(3));
        ((ObjectNode) tampered.get("payload").get("writes").get(0)).put("value", 33);
        cases.put("bad-signature", wms.sendCommand(tampered));
        ObjectNode otherTenant = move(4);
        otherTenant.put("tenantId", "other-tenant");
        cases.put("wrong-gateway", wms.sendCommand(otherTenant));
        ObjectNode old = move(5);
        old.put("issuedAt", System.currentTimeMillis() - 120_000).put("expiresAt", System.currentTimeMillis() - 60_000);
        cases.put("expired", wms.sendCommand(old));
        wms.sendRaw(pki.gatewayId(), Json.write(first));
        cases.put("replayed", first);
        ObjectNode unknownPlc = move(6);
        unknownPlc.put("plcId", "plc-9");
        cases.put("unknown-plc", wms.sendCommand(unknownPlc));
        ObjectNode reboot = move(8);
        reboot.put("kind", "reboot");
        cases.put("unsupported-kind", wms.sendCommand(reboot));

        for (Map.Entry<String, ObjectNode> c : cases.entrySet()) {
            String id = c.getValue().path("commandId").asText();
            JsonNode reply = c.getKey().equals("replayed")
                    ? wms.awaitNonDurable("command.ack", m -> id.equals(m.path("commandId").asText())
                            && !m.path("accepted").asBoolean(), java.time.Instant.EPOCH, WAIT).json()
                    : ack(c.getValue());
            assertThat(reply.path("accepted").asBoolean(true)).as(c.getKey()).isFalse();
            assertThat(reply.path("reason").asText()).as(c.getKey()).isEqualTo(c.getKey());
        }
        // Alerts for the four reasons that may be an attack, delivered as durable alert messages.
        await().atMost(WAIT).until(() -> gw.alerts.raised.size() == 4);
        assertThat(gw.alerts.raised).extracting(a -> a.fields().get("reason"))
                .containsExactlyInAnyOrder("unknown-key", "bad-signature", "wrong-gateway", "replayed");
        assertThat(modbus.holding(5)).isZero();
        for (ObjectNode sent : cases.values()) {
            if (sent != first) {
                assertThat(resultReceived(sent.path("commandId").asText())).isFalse();
            }
        }
        assertThat(wms.protocolViolations()).isEmpty();
    }

    @Test
    void aFullQueueRefusesAndTheRefusedCommandNeverRuns() throws Exception {
        startGateway(c -> c.put("queueCapacity", 1));
        modbus.hold();
        modbus.arrivals.set(0);
        ObjectNode a = wms.sendCommand(move(1));
        assertThat(ack(a).path("accepted").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> modbus.arrivals.get() > 0); // a is executing, held by the server
        ObjectNode b = wms.sendCommand(move(2));
        assertThat(ack(b).path("accepted").asBoolean()).isTrue();
        ObjectNode c = wms.sendCommand(move(3));
        assertThat(ack(c).path("reason").asText()).isEqualTo("queue-full");
        modbus.release();
        assertThat(result(a).path("status").asText()).isEqualTo("succeeded");
        assertThat(result(b).path("status").asText()).isEqualTo("succeeded");
        assertThat(modbus.holding(5)).isEqualTo(2);
        assertThat(resultReceived(c.path("commandId").asText())).isFalse();
    }

    @Test
    void aResultProducedDuringAnOutageArrivesAfterReconnection() throws Exception {
        startGateway(c -> { });
        modbus.hold();
        ObjectNode sent = wms.sendCommand(move(44));
        assertThat(ack(sent).path("accepted").asBoolean()).isTrue();
        wms.goOffline();
        modbus.release();
        await().atMost(WAIT).until(() -> gw.outbox.read(1, 1000).stream()
                .anyMatch(e -> new String(e.json(), StandardCharsets.UTF_8).contains("\"command.result\"")));
        assertThat(resultReceived(sent.path("commandId").asText())).isFalse();
        wms.goOnline();
        JsonNode result = result(sent);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(modbus.holding(5)).isEqualTo(44);
    }

    @Test
    void aReplayAfterAGatewayRestartIsStillReplayed() throws Exception {
        startGateway(c -> { });
        ObjectNode sent = wms.sendCommand(move(9));
        assertThat(result(sent).path("status").asText()).isEqualTo("succeeded");
        modbus.setHolding(5, 0);

        gw.restartGateway();
        java.time.Instant before = java.time.Instant.now();
        wms.sendRaw(pki.gatewayId(), Json.write(sent));
        ReceivedMessage reply = wms.awaitNonDurable("command.ack",
                m -> sent.path("commandId").asText().equals(m.path("commandId").asText()), before, WAIT);
        assertThat(reply.json().path("accepted").asBoolean(true)).isFalse();
        assertThat(reply.json().path("reason").asText()).isEqualTo("replayed");
        assertThat(modbus.holding(5)).isZero();
    }
}
