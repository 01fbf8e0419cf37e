package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.plc.modbus.ModbusDriver;

/** The PLC layer against a real Modbus TCP server (j2mod) on loopback, through the gateway's Modbus driver. */
class ModbusPlcTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ModbusTestServer server;
    private TestPlc plc;

    @BeforeEach
    void start() throws Exception {
        server = new ModbusTestServer();
        server.start();
        plc = new TestPlc().withDriver(new ModbusDriver());
    }

    @AfterEach
    void stop() {
        plc.close();
        server.close();
    }

    private java.util.Map<String, Object> config(String tags) {
        return TestPlc.config("plcId", "plc-1", "connection", server.connection(), "pollIntervalMs", "100",
                "tags", tags, "requestTimeoutMs", "1000", "backoffInitialMs", "100", "backoffMaxMs", "400");
    }

    @Test
    void pollingReportsTheServersRegisters() {
        server.setHolding(1, 1234);
        server.setHolding(2, -7);
        plc.activate(config("conveyor1.speed=holding-register:1:INT, conveyor1.load=holding-register:2:INT"));

        // Null-safe: before the first poll there is no reading (an exception would end the wait at once).
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode speed = plc.outbox.lastReading("conveyor1.speed");
            JsonNode load = plc.outbox.lastReading("conveyor1.load");
            assertThat(speed).as("a conveyor1.speed reading").isNotNull();
            assertThat(load).as("a conveyor1.load reading").isNotNull();
            assertThat(speed.get("value").asInt()).isEqualTo(1234);
            assertThat(load.get("value").asInt()).isEqualTo(-7);
        });
        server.setHolding(1, 99);
        await().atMost(WAIT).until(() -> plc.outbox.lastReading("conveyor1.speed").get("value").asInt() == 99);

        JsonNode message = plc.outbox.lastMessage(MessageType.TELEMETRY);
        assertThat(message.get("type").asText()).isEqualTo("telemetry");
        assertThat(message.get("tenantId").asText()).isEqualTo("acme");
        assertThat(message.get("gatewayId").asText()).isEqualTo("gw-test-01");
        assertThat(message.get("plcId").asText()).isEqualTo("plc-1");
        assertThat(message.get("ts").asLong()).isPositive();
        JsonNode reading = message.get("readings").get(0);
        assertThat(reading.get("quality").asText()).isEqualTo("good");
        assertThat(reading.get("ts").asLong()).isGreaterThanOrEqualTo(message.get("ts").asLong());
        assertThat(plc.engine().status().state()).isEqualTo(PlcState.CONNECTED);
        assertThat(plc.engine().status().lastReadTs()).isPositive();
        assertThat(plc.status.problems()).isEmpty();
    }

    /** The figures behind gateway_plc_reads_total and gateway_plc_read_latency_seconds (errors: MisbehavingServerTest). */
    @Test
    void readsAndTheirLatencyAreCounted() {
        plc.activate(config("conveyor1.speed=holding-register:1:INT"));
        PlcRegistry registry = new PlcRegistryComponent(List.of(plc.component));
        await().atMost(WAIT).until(() -> registry.readStats().get(0).reads() >= 3);

        PlcReadStats healthy = registry.readStats().get(0);
        assertThat(healthy.plcId()).isEqualTo("plc-1");
        assertThat(healthy.driver()).isEqualTo("modbus-tcp");
        assertThat(healthy.errors()).isZero();
        assertThat(healthy.latency().count()).as("every successful read is timed").isEqualTo(healthy.reads());
        assertThat(healthy.latency().sum()).isPositive();
    }

    @Test
    void subscribeModeFallsBackToPollingWhereTheDriverCannotSubscribe() {
        server.setHolding(1, 10);
        java.util.Map<String, Object> config = config("conveyor1.speed=holding-register:1:INT");
        config.put("acquisition", "subscribe");
        plc.activate(config);
        await().atMost(WAIT).until(() -> plc.outbox.lastReading("conveyor1.speed") != null);

        server.setHolding(1, 11);
        await().atMost(WAIT).until(() -> plc.outbox.lastReading("conveyor1.speed").get("value").asInt() == 11);
    }

    @Test
    void aWriteIsReadBackFromTheServer() throws Exception {
        java.util.Map<String, Object> config = config("conveyor1.target=holding-register:5:INT");
        config.put("writable.conveyor1.target", "true");
        plc.activate(config);
        PlcRegistry registry = new PlcRegistryComponent(List.of(plc.component));
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);

        List<TagWrite> written = registry.write("plc-1", List.of(new TagWrite("conveyor1.target", 12.0)), Duration.ofSeconds(5))
                .toCompletableFuture().get();

        assertThat(written).extracting(TagWrite::tag).containsExactly("conveyor1.target");
        assertThat(server.holding(5)).isEqualTo(12);
        List<TagValue> read = registry.read("plc-1", List.of("conveyor1.target"), Duration.ofSeconds(5)).toCompletableFuture().get();
        assertThat(read.get(0).value()).isEqualTo((short) 12);
        assertThat(read.get(0).quality().wireName()).isEqualTo("good");
    }

    /** Issue 13 point 3: the PLC bundle itself refuses what the site did not allow, before the server sees it. */
    @Test
    void readOnlyTagsAndValuesOutOfRangeNeverReachThePlc() throws Exception {
        server.setHolding(5, 3);
        server.setHolding(6, 4);
        java.util.Map<String, Object> config = config("conveyor1.target=holding-register:5:INT, conveyor1.speed=holding-register:6:INT");
        config.put("writable.conveyor1.target", "true");
        config.put("min.conveyor1.target", "0");
        config.put("max.conveyor1.target", "100");
        plc.activate(config);
        PlcRegistry registry = new PlcRegistryComponent(List.of(plc.component));
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);

        assertThat(registry.writableTags("plc-1")).containsOnlyKeys("conveyor1.target");
        assertThat(registry.writableTags("plc-1").get("conveyor1.target"))
                .isEqualTo(new site.gateway.api.plc.WritableTag("conveyor1.target", 0.0, 100.0));
        for (TagWrite refused : List.of(new TagWrite("conveyor1.speed", 5), new TagWrite("conveyor1.target", 101),
                new TagWrite("conveyor1.target", -1), new TagWrite("conveyor1.target", "7"))) {
            assertThat(registry.write("plc-1", List.of(refused), Duration.ofSeconds(5)).toCompletableFuture())
                    .as(refused.toString()).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(site.gateway.api.plc.PlcException.class,
                            e -> assertThat(e.reason()).isEqualTo(site.gateway.api.plc.PlcException.Reason.INVALID_VALUE));
        }
        assertThat(server.holding(5)).isEqualTo(3);
        assertThat(server.holding(6)).isEqualTo(4);

        registry.write("plc-1", List.of(new TagWrite("conveyor1.target", 100)), Duration.ofSeconds(5)).toCompletableFuture().get();
        assertThat(server.holding(5)).isEqualTo(100);
    }

    @Test
    void serverStoppedAndRestartedGoesUnreachableThenRecoversWithoutLosingBufferedTelemetry() throws Exception {
        server.setHolding(1, 1);
        plc.activate(config("conveyor1.speed=holding-register:1:INT"));
        await().atMost(WAIT).until(() -> plc.outbox.messages(MessageType.TELEMETRY).size() >= 3);

        server.stop();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.UNREACHABLE);
        int bufferedWhileDown = plc.outbox.messages(MessageType.TELEMETRY).size();
        assertThat(plc.status.problems()).containsKey("plc:plc-1");
        assertThat(plc.alerts.raised).singleElement().satisfies(a -> {
            assertThat(a.code()).isEqualTo("plc.unreachable");
            assertThat(a.plcId()).isEqualTo("plc-1");
        });

        server.setHolding(1, 2);
        server.start();
        await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
        await().atMost(WAIT).until(() -> plc.outbox.lastReading("conveyor1.speed").get("value").asInt() == 2);

        List<JsonNode> all = plc.outbox.messages(MessageType.TELEMETRY);
        assertThat(all.size()).isGreaterThan(bufferedWhileDown);
        // Once, when the server went away, the values were flagged stale: quality bad, last good value.
        assertThat(all).as(all.toString()).filteredOn(m -> m.get("readings").get(0).get("quality").asText().equals("bad"))
                .singleElement().satisfies(m -> assertThat(m.get("readings").get(0).get("value").asInt()).isEqualTo(1));
        assertThat(all.subList(0, 3)).allSatisfy(m -> assertThat(m.get("readings").get(0).get("value").asInt()).isEqualTo(1));
        assertThat(plc.status.problems()).isEmpty();
        assertThat(plc.alerts.raised).hasSize(1);
    }

    @Test
    void aWrongAddressIsReportedOnceWhileOtherTagsStayGood() {
        server.setHolding(1, 5);
        plc.activate(config("good=holding-register:1:INT, missing=holding-register:5000:INT, nonsense=no-such-area:1"));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(plc.outbox.lastReading("good")).isNotNull();
            assertThat(plc.outbox.lastReading("good").get("quality").asText()).isEqualTo("good");
            // Never read good: no value to send, so the tag is left out of telemetry (every reading
            // carries a value, §3.2) and reported with one alert per tag instead.
            assertThat(plc.alerts.raised).filteredOn(a -> a.code().equals("plc.tag-unreadable"))
                    .extracting(a -> a.fields().get("tag")).containsExactlyInAnyOrder("missing", "nonsense");
        });
        assertThat(plc.outbox.lastReading("missing")).isNull();
        assertThat(plc.outbox.lastReading("nonsense")).isNull();
        server.setHolding(1, 6);
        await().atMost(WAIT).until(() -> plc.outbox.lastReading("good").get("value").asInt() == 6);
        assertThat(plc.alerts.raised).filteredOn(a -> a.code().equals("plc.tag-unreadable")).hasSize(2);
    }
}
