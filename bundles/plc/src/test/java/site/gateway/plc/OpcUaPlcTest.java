package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.plc.opcua.OpcuaDriver;
import site.gateway.testsupport.OpcUaTestServer;

/**
 * The PLC layer against a real OPC UA server (Eclipse Milo's SDK) through the gateway's OPC UA driver (bundles/plc-opcua):
 * without security and with Basic256Sha256 (certificates made by the test), reads, writes, change
 * subscriptions, and the server restarting.
 */
class OpcUaPlcTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String TAGS = "running=ns=2;s=running;BOOL, load=ns=2;s=load;INT, count=ns=2;s=count;DINT, "
            + "speed=ns=2;s=speed;REAL, pallet=ns=2;s=pallet;STRING";

    @TempDir
    Path dir;
    private OpcUaTestServer server;
    private TestPlc plc;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("running", true);
        variables.put("load", (short) -1234);
        variables.put("count", 123_456_789);
        variables.put("speed", 21.5f);
        variables.put("pallet", "pallet-42");
        server = new OpcUaTestServer(dir, variables);
        plc = new TestPlc().withDriver(new OpcuaDriver());
    }

    @AfterEach
    void stop() {
        plc.close();
        server.close();
    }

    private Map<String, Object> config(String connection, String tags) {
        Map<String, Object> config = TestPlc.config("plcId", "ua-1", "connection", connection, "pollIntervalMs", "100",
                "tags", tags, "requestTimeoutMs", "5000", "backoffInitialMs", "100", "backoffMaxMs", "1000");
        for (String tag : List.of("running", "load", "count", "speed", "pallet")) {
            if (tags.matches("(^|.*,)\\s*" + tag + "=.*")) {
                config.put("writable." + tag, "true"); // settings of tags that are not configured are refused
            }
        }
        return config;
    }

    private JsonNode value(String tag) {
        JsonNode reading = plc.outbox.lastReading(tag);
        return reading == null ? MissingNode.getInstance() : reading.path("value");
    }

    private void readsAndWritesEveryType() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(value("running").asBoolean()).isTrue();
            assertThat(value("load").asInt()).isEqualTo(-1234);
            assertThat(value("count").asLong()).isEqualTo(123_456_789L);
            assertThat(value("speed").asDouble()).isEqualTo(21.5);
            assertThat(value("pallet").asText()).isEqualTo("pallet-42");
        });
        PlcRegistry registry = new PlcRegistryComponent(List.of(plc.component));
        List<TagWrite> writes = List.of(new TagWrite("running", false), new TagWrite("load", -300),
                new TagWrite("count", 70_000), new TagWrite("speed", 1.5), new TagWrite("pallet", "bay-7"));
        registry.write("ua-1", writes, Duration.ofSeconds(10)).toCompletableFuture().get();

        assertThat(server.get("running")).isEqualTo(false);
        assertThat(server.get("load")).isEqualTo((short) -300);
        assertThat(server.get("count")).isEqualTo(70_000);
        assertThat(server.get("speed")).isEqualTo(1.5f);
        assertThat(server.get("pallet")).isEqualTo("bay-7");
        List<TagValue> read = registry.read("ua-1", List.of("load", "pallet"), Duration.ofSeconds(10)).toCompletableFuture().get();
        assertThat(read).extracting(TagValue::value).containsExactly((short) -300, "bay-7");
    }

    @Test
    void withoutSecurityEveryTypeIsReadAndWritten() throws Exception {
        plc.activate(config(server.connection(), TAGS));
        readsAndWritesEveryType();
    }

    @Test
    void withBasic256Sha256AndCertificatesEveryTypeIsReadAndWritten() throws Exception {
        plc.activate(config(server.secureConnection(), TAGS));
        readsAndWritesEveryType();
        assertThat(plc.engine().status().state()).isEqualTo(PlcState.CONNECTED);
    }

    @Test
    void subscribeModeFollowsChangesThroughAnOpcUaSubscription() {
        Map<String, Object> config = config(server.connection(), "load=ns=2;s=load;INT");
        config.put("acquisition", "subscribe");
        plc.activate(config);
        await().atMost(WAIT).until(() -> plc.engine().subscribed());
        long polls = plc.engine().readLatency().count();

        server.set("load", (short) 77);
        await().atMost(WAIT).until(() -> value("load").asInt() == 77);
        // The change came as an event: no read request was polled meanwhile.
        assertThat(plc.engine().readLatency().count()).isEqualTo(polls);
    }

    @Test
    void aServerRestartIsSeenAndRecoveredFrom() throws Exception {
        plc.activate(config(server.connection(), "load=ns=2;s=load;INT"));
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);

        server.stop();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.UNREACHABLE);
        server.set("load", (short) 5);
        server.start();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
        await().atMost(WAIT).until(() -> value("load").asInt() == 5);
        assertThat(plc.status.problems()).isEmpty();
    }
}
