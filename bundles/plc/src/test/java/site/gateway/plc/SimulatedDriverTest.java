package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.apache.plc4x.java.simulated.SimulatedDriver;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/** The demo's simulated PLC (plc4j-driver-simulated): random values flow, state tags take writes. */
class SimulatedDriverTest {

    @Test
    void theDemoConfigurationProducesTelemetryAndTakesWrites() throws Exception {
        try (TestPlc plc = new TestPlc().withDriver(new SimulatedDriver())) {
            plc.activate(TestPlc.config("plcId", "demo-plc", "connection", "simulated://demo", "pollIntervalMs", "100",
                    "tags", "conveyor1.speed=RANDOM/conveyor1_speed:REAL, conveyor1.running=RANDOM/conveyor1_running:BOOL, "
                            + "conveyor1.target=STATE/conveyor1_target:DINT", "writable.conveyor1.target", "true"));

            await().atMost(Duration.ofSeconds(10)).until(() -> plc.outbox.lastReading("conveyor1.running") != null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(plc.outbox.lastReading("conveyor1.speed").get("value").isNumber()).isTrue();
                assertThat(plc.outbox.lastReading("conveyor1.running").get("value").isBoolean()).isTrue();
                assertThat(plc.outbox.lastReading("conveyor1.speed").get("quality").asText()).isEqualTo("good");
            });

            plc.component.write(List.of(new TagWrite("conveyor1.target", 42)), Duration.ofSeconds(5)).toCompletableFuture().get();
            List<TagValue> read = plc.component.read(List.of("conveyor1.target"), Duration.ofSeconds(5)).toCompletableFuture().get();
            assertThat(((Number) read.get(0).value()).intValue()).isEqualTo(42);
        }
    }

    @Test
    void subscribeModeDeliversChangesBetweenPolls() throws Exception {
        try (TestPlc plc = new TestPlc().withDriver(new SimulatedDriver())) {
            // A poll interval far beyond the test: a value that arrives comes from the subscription.
            plc.activate(TestPlc.config("plcId", "sub-plc", "connection", "simulated://sub", "pollIntervalMs", "3600000",
                    "acquisition", "subscribe", "tags", "line.target=STATE/line_target:DINT", "writable.line.target", "true"));
            await().atMost(Duration.ofSeconds(10)).until(() -> plc.engine().status().lastReadTs() > 0);
            int before = plc.outbox.messages(MessageType.TELEMETRY).size();

            plc.component.write(List.of(new TagWrite("line.target", 7)), Duration.ofSeconds(5)).toCompletableFuture().get();
            await().atMost(Duration.ofSeconds(10)).until(() -> plc.outbox.lastReading("line.target") != null
                    && plc.outbox.lastReading("line.target").get("value").asInt() == 7);
            plc.component.write(List.of(new TagWrite("line.target", 8)), Duration.ofSeconds(5)).toCompletableFuture().get();
            await().atMost(Duration.ofSeconds(10)).until(() -> plc.outbox.lastReading("line.target").get("value").asInt() == 8);

            assertThat(plc.outbox.messages(MessageType.TELEMETRY).size() - before).as("one message per change").isEqualTo(2);
            assertThat(plc.outbox.lastReading("line.target").get("quality").asText()).isEqualTo("good");
        }
    }
}
