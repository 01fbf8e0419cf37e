package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.plc.PlcException;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;

/** The CommandStats service: each command is timed once, under the outcome the WMS was told. */
class CommandLatencyTest {
    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void everyOutcomeIsTimedOnceUnderItsName() throws IOException {
        f = new Fixture(dir).with("commandTimeoutMs", 200).start();
        assertThat(f.service.latencyByOutcome()).containsOnlyKeys(CommandStats.REJECTED, CommandStats.SUCCEEDED,
                CommandStats.FAILED, CommandStats.TIMED_OUT, CommandStats.EXPIRED)
                .allSatisfy((outcome, histogram) -> assertThat(histogram.count()).isZero());

        assertThat(f.send("{not json").path("code").asText()).isEqualTo("invalid-command");
        ObjectNode unsigned = f.move("c-0");
        assertThat(f.send(Json.write(unsigned)).path("accepted").asBoolean()).isFalse();

        f.sendSigned(f.move("c-1"));
        awaitResult("c-1");

        f.plcs.failure = new PlcException(PlcException.Reason.UNREACHABLE, "connection refused");
        f.sendSigned(f.move("c-2"));
        awaitResult("c-2");
        f.plcs.failure = null;

        // c-3 hangs on the PLC until it times out; c-4's expiry passes while it waits behind it.
        f.plcs.hold();
        f.sendSigned(f.move("c-3"));
        ObjectNode shortLived = f.move("c-4");
        shortLived.put("expiresAt", Fixture.T0 + 1_000);
        assertThat(f.sendSigned(shortLived).path("accepted").asBoolean()).isTrue();
        f.clock.advance(1_001);
        assertThat(awaitResult("c-3")).isEqualTo("timed-out");
        assertThat(awaitResult("c-4")).isEqualTo("expired");

        Map<String, LatencyHistogram> latency = f.service.latencyByOutcome();
        assertThat(latency.get(CommandStats.REJECTED).count()).isEqualTo(2);
        assertThat(latency.get(CommandStats.SUCCEEDED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.FAILED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.TIMED_OUT).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.EXPIRED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.TIMED_OUT).upperBounds()).containsExactly(
                java.util.Arrays.stream(CommandLatency.BOUNDS_SECONDS).boxed().toArray(Double[]::new));
    }

    private String awaitResult(String commandId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> f.outbox.commandResult(commandId) != null);
        return f.outbox.commandResult(commandId).path("status").asText();
    }
}
