package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcState;
import site.gateway.plc.modbus.ModbusDriver;
import site.gateway.testsupport.ScriptedModbusServer;

/** A server that answers junk (at once: it is not Modbus), or nothing: a clear reason, no values, and the poller keeps going. */
class MisbehavingServerTest {

    @ParameterizedTest(name = "silent={0}")
    @CsvSource({"false, 'read failed: ModbusProtocolException: not a Modbus TCP answer (protocol id 0x5450, expected 0)'",
            "true, read got no answer within 300 ms"})
    void junkOrSilenceIsUnreachableWithAClearReasonAndThePollerIsNotStuck(boolean silent, String reason) throws Exception {
        try (ScriptedModbusServer server = new ScriptedModbusServer(silent ? request -> null : ScriptedModbusServer::junk); TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            plc.activate(TestPlc.config("plcId", "junk", "connection", server.connection(), "pollIntervalMs", "100",
                    "tags", "a=holding-register:1:INT", "requestTimeoutMs", "300", "backoffInitialMs", "50", "backoffMaxMs", "100"));

            await().atMost(Duration.ofSeconds(15)).until(() -> plc.engine().status().state() == PlcState.UNREACHABLE
                    && plc.engine().status().reason().equals(reason));
            assertThat(plc.status.problems().get("plc:junk")).contains("unreachable");

            // Not stuck: it keeps reconnecting, and a command read gets an answer (an error) in time.
            long attempts = plc.engine().connectAttempts();
            await().atMost(Duration.ofSeconds(15)).until(() -> plc.engine().connectAttempts() >= attempts + 3);
            var read = plc.component.read(List.of("a"), Duration.ofSeconds(3)).toCompletableFuture();
            assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PlcException.class);
            // A TCP connection that never gave a good read is not "connected": no flapping, one alert, no junk values.
            assertThat(plc.alerts.raised).singleElement().satisfies(a -> assertThat(a.code()).isEqualTo("plc.unreachable"));
            assertThat(plc.outbox.messages(MessageType.TELEMETRY)).isEmpty();
            assertThat(plc.engine().status().lastReadTs()).isZero();
            // Every read request failed: counted as reads and as read errors, none timed.
            PlcReadStats reads = plc.component.readStats();
            assertThat(reads.errors()).isPositive().isEqualTo(reads.reads());
            assertThat(reads.latency().count()).isZero();
        }
    }
}
