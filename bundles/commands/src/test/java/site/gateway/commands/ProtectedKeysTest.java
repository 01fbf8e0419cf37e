package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 13 point 2: security keys are out of reach of signed config commands even when an operator
 * allow-lists their PID.
 */
class ProtectedKeysTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws IOException {
        f = new Fixture(dir).with("configAllowList", new String[] {"gateway.crypto", "gateway.commands", "gateway.audit",
                "gateway.identity", "gateway.plc~line1", "gateway.wms", "org.apache.felix.webconsole.internal.servlet.OsgiManager",
                "org.apache.felix.fileinstall~deploy"}).start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private JsonNode config(String id, String pid, ObjectNode properties) {
        ObjectNode c = f.move(id);
        c.put("plcId", "gateway");
        c.put("kind", "config");
        ObjectNode payload = c.putObject("payload");
        payload.put("pid", pid);
        payload.set("properties", properties);
        return f.sendSigned(c);
    }

    @Test
    void securityKeysAreRefusedWhateverTheAllowList() {
        Object[][] attempts = {
            {"gateway.crypto", Json.object().put("developmentMode", true)},
            {"gateway.crypto", Json.object().put("trustAnchors", "/tmp/evil-ca.crt")},
            {"gateway.crypto", Json.object().put("commandKeys", "/tmp/evil-keys")},
            {"gateway.commands", Json.object().put("configAllowList", "gateway.crypto")},
            {"gateway.commands", Json.object().put("clockSkewSeconds", 86400)},
            {"gateway.audit", Json.object().put("macKeyFile", "")},
            {"gateway.audit", Json.object().put("maxFiles", 1)},
            {"gateway.identity", Json.object().put("gatewayId", "other")},
            {"gateway.plc~line1", Json.object().put("writable.valve", true)},
            {"gateway.plc~line1", Json.object().put("max.valve", 1e9)},
            {"gateway.plc~line1", Json.object().put("tags", "valve=coil:1")},
            {"gateway.wms", Json.object().put("tlsContext.target", "(x=y)")},
            {"org.apache.felix.webconsole.internal.servlet.OsgiManager", Json.object().put("password", "admin")},
            {"org.apache.felix.fileinstall~deploy", Json.object().put("poll", 1)},
        };
        int n = 0;
        for (Object[] attempt : attempts) {
            JsonNode ack = config("p-" + n++, (String) attempt[0], (ObjectNode) attempt[1]);
            assertThat(ack.path("accepted").asBoolean()).as(attempt[0] + " " + attempt[1]).isFalse();
            assertThat(ack.path("reason").asText()).isEqualTo("invalid-payload");
        }
        assertThat(f.configAdmin.stored).isEmpty();
        assertThat(f.audit.withAction("command.rejected")).hasSize(attempts.length)
                .allMatch(e -> String.valueOf(e.details().get("detail")).contains("protected")
                        || String.valueOf(e.details().get("detail")).contains("not a gateway configuration"));
    }

    @Test
    void otherKeysOfTheSamePidsStillWork() {
        assertThat(config("ok-1", "gateway.commands", Json.object().put("queueCapacity", 7)).path("accepted").asBoolean())
                .isTrue();
        assertThat(config("ok-2", "gateway.plc~line1", Json.object().put("pollIntervalMs", 500)).path("accepted").asBoolean())
                .isTrue();
        await().until(() -> f.configAdmin.stored.containsKey("gateway.commands")
                && f.configAdmin.stored.containsKey("gateway.plc~line1"));
    }
}
