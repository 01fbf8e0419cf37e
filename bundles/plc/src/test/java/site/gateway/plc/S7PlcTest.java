package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.plc.s7.S7Driver;
import site.gateway.testsupport.S7TestServer;

/**
 * The PLC layer against a real S7 server (snap7's, tools/s7-server) through the gateway's S7 driver: the
 * S7 types a site uses in a DB, written by the "PLC program" (the test) and read by polling, written by the
 * gateway and checked in the server's memory; the server going away and coming back.
 */
class S7PlcTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** DB1 layout: BOOL 0.0, INT 2, DINT 4, REAL 8, STRING[20] at 12 (2 header bytes + 20 chars). */
    static final String TAGS = "running=%DB1.DBX0.0:BOOL, load=%DB1.DBW2:INT, count=%DB1.DBD4:DINT, "
            + "speed=%DB1.DBD8:REAL, pallet=%DB1:12:STRING(20)";

    private S7TestServer server;
    private TestPlc plc;

    @BeforeEach
    void start() throws Exception {
        String unavailable = S7TestServer.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "S7 tests skipped: " + unavailable);
        server = new S7TestServer(Map.of(1, 64));
        plc = new TestPlc().withDriver(new S7Driver());
    }

    @AfterEach
    void stop() {
        if (plc != null) {
            plc.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Map<String, Object> config(String tags) {
        Map<String, Object> config = TestPlc.config("plcId", "s7-1", "connection", server.connection(), "pollIntervalMs", "100",
                "tags", tags, "requestTimeoutMs", "2000", "backoffInitialMs", "100", "backoffMaxMs", "400");
        for (String tag : List.of("running", "load", "count", "speed", "pallet")) {
            if (tags.matches("(^|.*,)\\s*" + tag + "=.*")) {
                config.put("writable." + tag, "true"); // settings of tags that are not configured are refused
            }
        }
        return config;
    }

    static void writeDb1(S7TestServer server, boolean running, short load, int count, float speed, String pallet) {
        server.set(1, 0, new byte[] {(byte) (running ? 1 : 0)});
        server.set(1, 2, ByteBuffer.allocate(2).putShort(load).array());
        server.set(1, 4, ByteBuffer.allocate(4).putInt(count).array());
        server.set(1, 8, ByteBuffer.allocate(4).putFloat(speed).array());
        byte[] text = pallet.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer string = ByteBuffer.allocate(22).put((byte) 20).put((byte) text.length).put(text);
        server.set(1, 12, string.array());
    }

    /** The last reported value of a tag; a missing node until it has been reported. */
    private com.fasterxml.jackson.databind.JsonNode value(String tag) {
        com.fasterxml.jackson.databind.JsonNode reading = plc.outbox.lastReading(tag);
        return reading == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : reading.path("value");
    }

    private String quality(String tag) {
        com.fasterxml.jackson.databind.JsonNode reading = plc.outbox.lastReading(tag);
        return reading == null ? "" : reading.path("quality").asText();
    }

    @Test
    void pollingReadsEveryS7TypeOfADb() {
        writeDb1(server, true, (short) -1234, 123_456_789, 21.5f, "pallet-42");
        plc.activate(config(TAGS));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(value("running").asBoolean()).isTrue();
            assertThat(value("load").asInt()).isEqualTo(-1234);
            assertThat(value("count").asLong()).isEqualTo(123_456_789L);
            assertThat(value("speed").asDouble()).isEqualTo(21.5);
            assertThat(value("pallet").asText()).isEqualTo("pallet-42");
        });
        assertThat(quality("speed")).isEqualTo("good");
        assertThat(plc.engine().status().state()).isEqualTo(PlcState.CONNECTED);

        writeDb1(server, false, (short) 7, -5, -0.25f, "p-1");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(value("running").asBoolean()).isFalse();
            assertThat(value("load").asInt()).isEqualTo(7);
            assertThat(value("count").asLong()).isEqualTo(-5L);
            assertThat(value("speed").asDouble()).isEqualTo(-0.25);
            assertThat(value("pallet").asText()).isEqualTo("p-1");
        });
        assertThat(plc.status.problems()).isEmpty();
    }

    @Test
    void writesOfEveryS7TypeLandInTheDbAndReadBack() throws Exception {
        writeDb1(server, false, (short) 0, 0, 0f, "");
        plc.activate(config(TAGS));
        PlcRegistry registry = new PlcRegistryComponent(List.of(plc.component));
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);

        List<TagWrite> writes = List.of(new TagWrite("running", true), new TagWrite("load", -300),
                new TagWrite("count", 70_000), new TagWrite("speed", 1.5), new TagWrite("pallet", "bay-7"));
        List<TagWrite> written = registry.write("s7-1", writes, Duration.ofSeconds(10)).toCompletableFuture().get();

        assertThat(written).extracting(TagWrite::tag).containsExactly("running", "load", "count", "speed", "pallet");
        assertThat(server.get(1, 0, 1)[0] & 1).isEqualTo(1);
        assertThat(ByteBuffer.wrap(server.get(1, 2, 2)).getShort()).isEqualTo((short) -300);
        assertThat(ByteBuffer.wrap(server.get(1, 4, 4)).getInt()).isEqualTo(70_000);
        assertThat(ByteBuffer.wrap(server.get(1, 8, 4)).getFloat()).isEqualTo(1.5f);
        byte[] string = server.get(1, 12, 7);
        assertThat(string[1]).isEqualTo((byte) 5);
        assertThat(new String(string, 2, 5, StandardCharsets.US_ASCII)).isEqualTo("bay-7");

        List<TagValue> read = registry.read("s7-1", List.of("running", "load", "count", "speed", "pallet"), Duration.ofSeconds(10))
                .toCompletableFuture().get();
        assertThat(read).extracting(TagValue::value).containsExactly(true, (short) -300, 70_000, 1.5f, "bay-7");
        assertThat(read).allSatisfy(v -> assertThat(v.quality().wireName()).isEqualTo("good"));
    }

    /**
     * S7comm has no subscription to changes of DB values (PLC4X 0.13.1's S7 driver subscribed only to S7 events,
     * MODE, SYS, USR, ALM), and the gateway's S7 driver offers none: subscribe mode says so once and polls.
     */
    @Test
    void subscribeModeFallsBackToPollingBecauseS7CannotSubscribeToDbValues() {
        writeDb1(server, true, (short) 1, 1, 1f, "a");
        Map<String, Object> config = config("load=%DB1.DBW2:INT");
        config.put("acquisition", "subscribe");
        plc.activate(config);
        await().atMost(WAIT).until(() -> !value("load").isMissingNode());

        server.set(1, 2, ByteBuffer.allocate(2).putShort((short) 2).array());
        await().atMost(WAIT).until(() -> value("load").asInt() == 2);
    }

    @Test
    void serverGoneAndBackGoesUnreachableThenRecovers() {
        writeDb1(server, true, (short) 1, 1, 1f, "a");
        plc.activate(config("load=%DB1.DBW2:INT"));
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
        await().atMost(WAIT).until(() -> plc.outbox.messages(MessageType.TELEMETRY).size() >= 2);

        server.stop();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.UNREACHABLE);
        assertThat(plc.status.problems()).containsKey("plc:s7-1");
        assertThat(quality("load")).isEqualTo("bad");

        server.set(1, 2, ByteBuffer.allocate(2).putShort((short) 2).array());
        server.start();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
        await().atMost(WAIT).until(() -> value("load").asInt() == 2
                && quality("load").equals("good"));
        assertThat(plc.status.problems()).isEmpty();
        assertThat(plc.alerts.raised).filteredOn(a -> a.code().equals("plc.unreachable")).hasSize(1);
    }
}
