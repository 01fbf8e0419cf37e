package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.PlcState;
import site.gateway.plc.modbus.ModbusDriver;

/** Drivers coming and going, configurations added, changed, rejected and deleted, against a real Modbus server. */
class LifecycleTest {
    /** Only bounds a hang: a loaded machine may be slow, it is not wrong. */
    private static final Duration WAIT = Duration.ofSeconds(60);
    private ModbusTestServer server;
    private Set<Thread> threadsBefore;

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());
        server = new ModbusTestServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // A request timeout far above a loaded machine's connect time: an attempt that timed out is retried.
    private Map<String, Object> config(String plcId, String tags, Object... more) {
        Map<String, Object> map = TestPlc.config("plcId", plcId, "connection", server.connection(), "pollIntervalMs", "100",
                "tags", tags, "requestTimeoutMs", "10000", "backoffInitialMs", "100", "backoffMaxMs", "5000");
        map.putAll(TestPlc.config(more));
        return map;
    }

    /** Threads started during this test only: one an earlier test left behind in this JVM is not this test's business. */
    private long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix) && !threadsBefore.contains(t)).count();
    }

    @Test
    void aDriverThatGoesAwayMakesThePlcUnreachableAndItsReturnReconnectsWithoutWaitingForTheBackoff() {
        ModbusDriver driver = new ModbusDriver();
        try (TestPlc plc = new TestPlc().withDriver(driver)) {
            // A backoff of an hour: had the driver's return waited for it, the PLC would not reconnect within WAIT.
            plc.activate(config("plc-1", "a=holding-register:1:INT", "backoffInitialMs", "3600000", "backoffMaxMs", "3600000"));
            await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);

            plc.component.removeDriver(driver);
            await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.UNREACHABLE);
            assertThat(plc.engine().status().reason()).isEqualTo("driver modbus-tcp not available");
            assertThat(plc.status.problems().get("plc:plc-1")).contains("driver modbus-tcp not available");
            // The connection is closed: the server has no client left.
            await().atMost(WAIT).until(() -> ClientSockets.to(server.port) == 0);
            int telemetryWithoutDriver = plc.outbox.messages(MessageType.TELEMETRY).size();

            ModbusDriver again = new ModbusDriver();
            plc.component.addDriver(again, Map.of(DriverServices.DRIVER_CODE, "modbus-tcp"), again);
            await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
            await().atMost(WAIT).until(() -> plc.outbox.messages(MessageType.TELEMETRY).size() > telemetryWithoutDriver + 1);
            assertThat(plc.status.problems()).isEmpty();
        }
    }

    @Test
    void aPlcWhoseDriverIsNotUpYetWaitsQuietlyAndConnectsWhenItArrives() {
        try (TestPlc plc = new TestPlc()) {
            plc.activate(config("plc-1", "a=holding-register:1:INT"));
            await().atMost(WAIT).until(() -> "waiting for driver modbus-tcp".equals(plc.engine().status().reason()));
            ModbusDriver driver = new ModbusDriver();
            plc.component.addDriver(driver, Map.of(DriverServices.DRIVER_CODE, "modbus-tcp"), driver);
            await().atMost(WAIT).until(() -> plc.engine().status().state() == PlcState.CONNECTED);
            // Driver bundles starting after the PLC bundle is normal at boot: no alert, no degraded gateway.
            assertThat(plc.alerts.raised).isEmpty();
            assertThat(plc.status.problems()).isEmpty();
        }
    }

    @Test
    void anInvalidFirstConfigurationStartsNoPlcAndIsAudited() {
        try (TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            assertThatThrownBy(() -> plc.activate(config("plc-1", "this is not a tag list")))
                    .isInstanceOf(ComponentException.class).hasMessageContaining("gateway.plc");
            assertThat(plc.engine()).isNull();
            assertThat(threadsNamed("plc-plc-1")).isZero();
            assertThat(plc.audit.events).filteredOn(e -> e.action().equals("config.rejected")).hasSize(1);
        }
    }

    @Test
    void aChangedConfigurationAppliesLiveAndAnInvalidOneKeepsTheLastGood() {
        server.setHolding(1, 11);
        server.setHolding(2, 22);
        try (TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            plc.activate(config("plc-1", "a=holding-register:1:INT"));
            await().atMost(WAIT).until(() -> plc.outbox.lastReading("a") != null);

            plc.modify(config("plc-1", "a=holding-register:1:INT,b=holding-register:2:INT"));
            await().atMost(WAIT).until(() -> plc.outbox.lastReading("b") != null);
            assertThat(plc.outbox.lastReading("b").get("value").asInt()).isEqualTo(22);
            assertThat(plc.component.tags()).containsExactly("a", "b");

            PlcEngine running = plc.engine();
            plc.modify(config("plc-1", "a=holding-register:1:INT", "pollIntervalMs", "0"));
            plc.modify(config("plc-1", "this is not a tag list"));
            assertThat(plc.engine()).isSameAs(running);
            assertThat(plc.component.tags()).containsExactly("a", "b");
            assertThat(plc.audit.events).filteredOn(e -> e.action().equals("config.rejected")).hasSize(2)
                    .allSatisfy(e -> assertThat(e.outcome()).isEqualTo("rejected"));
            assertThat(plc.audit.events).filteredOn(e -> e.action().equals("config.rejected")).first()
                    .satisfies(e -> assertThat(e.details().get("detail").toString()).contains("pollIntervalMs"));

            plc.modify(config("plc-1", "a=holding-register:1:INT,b=holding-register:2:INT", "enabled", "false"));
            assertThat(plc.component.status().state()).isEqualTo(PlcState.DISABLED);
            // Disabled: no connection and no thread.
            await().atMost(WAIT).until(() -> threadsNamed("plc-plc-1") == 0 && ClientSockets.to(server.port) == 0);
            plc.modify(config("plc-1", "a=holding-register:1:INT"));
            await().atMost(WAIT).until(() -> plc.component.status().state() == PlcState.CONNECTED);
            assertThat(threadsNamed("plc-plc-1")).isEqualTo(1);
        }
        // Deleted: the PLC's thread and connection are gone.
        await().atMost(WAIT).until(() -> threadsNamed("plc-plc-1") == 0 && ClientSockets.to(server.port) == 0);
    }

    @Test
    void aRemovedDeadbandKeyStopsFilteringAndAnAddedOneStartsIt() {
        server.setHolding(1, 100);
        try (TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            plc.activate(config("plc-1", "a=holding-register:1:INT", "deadband.a", "10"));
            await().atMost(WAIT).until(() -> plc.outbox.lastReading("a") != null);
            server.setHolding(1, 105);
            await().atMost(WAIT).until(() -> plc.engine().pollIntervals().count() >= 10);
            // Within the deadband: nothing sent after the first reading.
            assertThat(plc.outbox.messages(MessageType.TELEMETRY)).hasSize(1);
            server.setHolding(1, 111);
            await().atMost(WAIT).until(() -> plc.outbox.lastReading("a").get("value").asInt() == 111);
            assertThat(plc.outbox.messages(MessageType.TELEMETRY)).hasSize(2);

            // The key removed from the .cfg (FELIX-5133): every poll is reported again.
            plc.modify(config("plc-1", "a=holding-register:1:INT"));
            await().atMost(WAIT).until(() -> plc.outbox.messages(MessageType.TELEMETRY).size() >= 6);
        }
    }
}
