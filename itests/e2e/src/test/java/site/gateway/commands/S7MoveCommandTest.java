package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.plc.E2ePlc;
import site.gateway.plc.s7.S7Driver;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.S7TestServer;

/**
 * A signed {@code move} from the WMS sandbox (TLS 1.3 WebSocket, its own JCS and key) written through the
 * gateway's S7 driver (bundle plc-s7) into a DB of snap7's S7 server, read back from the server's memory and by a signed
 * {@code query}.
 */
class S7MoveCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TARGET = "sorter1.target"; // DB1.DBD4, DINT

    @TempDir
    Path dir;
    private WmsSandbox wms;
    private S7TestServer s7;
    private GatewayStack gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (s7 != null) {
            s7.close();
        }
        if (wms != null) {
            wms.close();
        }
    }

    @Test
    void aSignedMoveIsWrittenToTheDbAndReadBack() throws Exception {
        String unavailable = S7TestServer.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "S7 tests skipped: " + unavailable);
        DevPki pki = DevPki.generate("acme", "gw-s7-01");
        wms = WmsSandbox.builder(pki).start();
        s7 = new S7TestServer(Map.of(1, 16));
        gw = new GatewayStack(pki, wms, null, dir.resolve("commands"));
        gw.start(new E2ePlc(new FixedIdentity(pki.tenantId(), pki.gatewayId()), gw.outbox, GatewayStack.PLC, s7.connection(),
                TARGET + "=%DB1.DBD4:DINT", new S7Driver(), Map.of("writable." + TARGET, "true")));

        ObjectNode payload = Json.object();
        payload.putArray("writes").addObject().put("tag", TARGET).put("value", 70_000);
        ObjectNode move = wms.sendCommand(wms.newCommand(GatewayStack.PLC, "move", payload));

        assertThat(wms.awaitCommandAck(move.path("commandId").asText(), WAIT).path("accepted").asBoolean()).isTrue();
        JsonNode result = wms.awaitCommandResult(pki.gatewayId(), move.path("commandId").asText(), WAIT).json();
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(ByteBuffer.wrap(s7.get(1, 4, 4)).getInt()).isEqualTo(70_000);

        ObjectNode reads = Json.object();
        reads.putArray("reads").add(TARGET);
        ObjectNode query = wms.sendCommand(wms.newCommand(GatewayStack.PLC, "query", reads));
        JsonNode values = wms.awaitCommandResult(pki.gatewayId(), query.path("commandId").asText(), WAIT).json()
                .path("result").path("values");
        assertThat(values.get(0).path("value").asInt()).isEqualTo(70_000);
        assertThat(values.get(0).path("quality").asText()).isEqualTo("good");
        assertThat(wms.protocolViolations()).isEmpty();
    }
}
