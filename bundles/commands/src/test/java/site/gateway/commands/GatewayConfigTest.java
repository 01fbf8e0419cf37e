package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;

/** config commands for plcId "gateway": only allow-listed PIDs, only simple property types. */
class GatewayConfigTest {
    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void stop() {
        f.close();
    }

    private ObjectNode configCommand(String id, String pid, ObjectNode properties) {
        ObjectNode c = f.move(id);
        c.put("plcId", "gateway");
        c.put("kind", "config");
        ObjectNode payload = Json.object();
        payload.put("pid", pid);
        payload.set("properties", properties);
        c.set("payload", payload);
        return c;
    }

    @Test
    void nothingIsAllowedByDefault() throws IOException {
        f = new Fixture(dir).start();
        ObjectNode props = Json.object().put("heartbeatIntervalSeconds", 5);
        JsonNode ack = f.sendSigned(configCommand("g-1", "gateway.wms", props));
        assertThat(ack.path("reason").asText()).isEqualTo("invalid-payload");
        assertThat(f.configAdmin.stored).isEmpty();
        assertThat(f.outbox.messages(MessageType.COMMAND_RESULT)).isEmpty();
    }

    @Test
    void anAllowListedPidIsUpdatedAndTheResultSaysWhat() throws IOException {
        f = new Fixture(dir).with("configAllowList", new String[] {"gateway.buffer", "gateway.plc~line1"}).start();
        Hashtable<String, Object> existing = new Hashtable<>();
        existing.put("maxBytes", "1000");
        existing.put("policy", "drop-oldest");
        f.configAdmin.stored.put("gateway.buffer", existing);

        ObjectNode props = Json.object().put("policy", "reject-new").put("maxBytes", 2048).put("ratio", 0.5)
                .put("enabled", true);
        props.putArray("tags").add("a").add("b");
        assertThat(f.sendSigned(configCommand("g-1", "gateway.buffer", props)).path("accepted").asBoolean()).isTrue();
        await().until(() -> f.outbox.commandResult("g-1") != null);
        JsonNode result = f.outbox.commandResult("g-1");
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("plcId").asText()).isEqualTo("gateway");
        assertThat(result.path("result").toString()).isEqualTo("{\"applied\":{\"pid\":\"gateway.buffer\",\"properties\":"
                + "{\"policy\":\"reject-new\",\"maxBytes\":2048,\"ratio\":0.5,\"enabled\":true,\"tags\":[\"a\",\"b\"]}}}");
        Hashtable<String, Object> stored = f.configAdmin.stored.get("gateway.buffer");
        assertThat(stored).containsEntry("policy", "reject-new").containsEntry("maxBytes", 2048L)
                .containsEntry("ratio", 0.5).containsEntry("enabled", true);
        assertThat((String[]) stored.get("tags")).containsExactly("a", "b");

        assertThat(f.sendSigned(configCommand("g-2", "gateway.plc~line1", Json.object().put("host", "10.0.0.9")))
                .path("accepted").asBoolean()).isTrue();
        await().until(() -> f.configAdmin.stored.containsKey("gateway.plc~line1"));
        assertThat(f.configAdmin.stored.get("gateway.plc~line1")).containsEntry("host", "10.0.0.9");
    }

    @Test
    void unsupportedValuesAndReservedNamesAreInvalidPayload() throws IOException {
        f = new Fixture(dir).with("configAllowList", "gateway.buffer").start();
        ObjectNode nested = Json.object();
        nested.putObject("x").put("y", 1);
        ObjectNode numbers = Json.object();
        numbers.putArray("list").add(1);
        for (ObjectNode props : new ObjectNode[] {nested, numbers, Json.object().put("service.pid", "x"),
                Json.object().putNull("n"), Json.object()}) {
            String id = "g-" + System.identityHashCode(props);
            assertThat(f.sendSigned(configCommand(id, "gateway.buffer", props)).path("reason").asText())
                    .as(props.toString()).isEqualTo("invalid-payload");
        }
        assertThat(f.configAdmin.stored).isEmpty();
    }

    @Test
    void theAllowListChangesLive() throws IOException {
        f = new Fixture(dir).start();
        ObjectNode props = Json.object().put("policy", "reject-new");
        assertThat(f.sendSigned(configCommand("g-1", "gateway.buffer", props)).path("reason").asText())
                .isEqualTo("invalid-payload");
        f.service.modified(f.with("configAllowList", "gateway.wms, gateway.buffer").config());
        assertThat(f.sendSigned(configCommand("g-2", "gateway.buffer", props)).path("accepted").asBoolean()).isTrue();
    }
}
