package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.TagWrite;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;

/** Accepted commands: queued per PLC, executed, reported with a durable command.result. */
class ExecutionTest {
    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private Fixture start() throws IOException {
        f = new Fixture(dir).start();
        return f;
    }

    private JsonNode awaitResult(String commandId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> f.outbox.commandResult(commandId) != null);
        return f.outbox.commandResult(commandId);
    }

    @Test
    void validMoveIsAcknowledgedWrittenAndReported() throws IOException {
        start();
        ObjectNode command = f.move("c-1");
        ObjectNode second = ((ObjectNode) command.get("payload")).withArray("writes").addObject();
        second.put("tag", Fixture.TAG2);
        second.put("value", 1.25);
        JsonNode ack = f.sendSigned(command);
        assertThat(ack.toString()).isEqualTo("{\"type\":\"command.ack\",\"commandId\":\"c-1\",\"accepted\":true}");

        JsonNode result = awaitResult("c-1");
        assertThat(f.plcs.writeLog).containsExactly(new TagWrite(Fixture.TAG, 12L), new TagWrite(Fixture.TAG2, 1.25));
        assertThat(result.path("tenantId").asText()).isEqualTo(Fixture.TENANT);
        assertThat(result.path("gatewayId").asText()).isEqualTo(Fixture.GATEWAY);
        assertThat(result.path("plcId").asText()).isEqualTo(Fixture.PLC);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.has("error")).isFalse();
        assertThat(result.path("completedAt").asLong()).isEqualTo(Fixture.T0);
        assertThat(result.path("result").toString()).isEqualTo(
                "{\"written\":[{\"tag\":\"conveyor1.target\",\"value\":12},{\"tag\":\"conveyor1.speed\",\"value\":1.25}]}");
        await().until(() -> f.audit.actionsFor("c-1").size() == 5);
        assertThat(f.audit.actionsFor("c-1")).containsExactly("command.received", "command.verified",
                "command.queued", "command.executed", "command.result");
        assertThat(f.alerts.raised).isEmpty();
    }

    @Test
    void queryReturnsTheValuesInOrder() throws IOException {
        start();
        f.plcs.values.get(Fixture.PLC).put(Fixture.TAG, 7L);
        f.plcs.values.get(Fixture.PLC).put(Fixture.TAG2, 0.5);
        ObjectNode command = f.move("q-1");
        command.put("kind", "query");
        command.set("payload", Json.object().set("reads", Json.array().add(Fixture.TAG2).add(Fixture.TAG)));
        assertThat(f.sendSigned(command).path("accepted").asBoolean()).isTrue();
        assertThat(awaitResult("q-1").path("result").toString()).isEqualTo("{\"values\":["
                + "{\"tag\":\"conveyor1.speed\",\"value\":0.5,\"quality\":\"good\"},"
                + "{\"tag\":\"conveyor1.target\",\"value\":7,\"quality\":\"good\"}]}");
        assertThat(f.plcs.writeLog).isEmpty();
    }

    @Test
    void aNonFiniteReadIsBadWithoutANumber() throws IOException {
        start();
        f.plcs.values.get(Fixture.PLC).put(Fixture.TAG2, Double.NaN);
        ObjectNode command = f.move("q-nan");
        command.put("kind", "query");
        command.set("payload", Json.object().set("reads", Json.array().add(Fixture.TAG2)));
        assertThat(f.sendSigned(command).path("accepted").asBoolean()).isTrue();
        assertThat(awaitResult("q-nan").path("result").toString())
                .isEqualTo("{\"values\":[{\"tag\":\"conveyor1.speed\",\"value\":null,\"quality\":\"bad\"}]}");
    }

    @Test
    void plcConfigCommandWritesConfigurationTags() throws IOException {
        start();
        ObjectNode command = f.move("k-1");
        command.put("kind", "config");
        assertThat(f.sendSigned(command).path("accepted").asBoolean()).isTrue();
        assertThat(awaitResult("k-1").path("status").asText()).isEqualTo("succeeded");
        assertThat(f.plcs.writeLog).containsExactly(new TagWrite(Fixture.TAG, 12L));
    }

    @Test
    void plcFailureIsReportedAsFailedWithTheReason() throws IOException {
        start();
        f.plcs.failure = new PlcException(PlcException.Reason.UNREACHABLE, "connection refused");
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
        JsonNode result = awaitResult("c-1");
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).isEqualTo("unreachable: connection refused");
        assertThat(result.path("result").toString()).isEqualTo("{\"written\":[]}");
    }

    @Test
    void aPlcThatDoesNotAnswerTimesOut() throws IOException {
        f = new Fixture(dir).with("commandTimeoutMs", 200).start();
        f.plcs.hold();
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
        JsonNode result = awaitResult("c-1");
        assertThat(result.path("status").asText()).isEqualTo("timed-out");
        assertThat(result.path("error").asText()).contains("200 ms");
        assertThat(f.plcs.writeLog).isEmpty();
    }

    @Test
    void commandsRunInArrivalOrderAndTheQueueIsBounded() throws IOException {
        f = new Fixture(dir).with("queueCapacity", 2).start();
        f.plcs.hold();
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
        await().untilAtomic(f.plcs.started, org.hamcrest.Matchers.equalTo(1)); // c-1 is executing
        for (String id : List.of("c-2", "c-3")) {
            ObjectNode command = f.move(id);
            ((ObjectNode) command.get("payload").get("writes").get(0)).put("value", Integer.parseInt(id.substring(2)));
            assertThat(f.sendSigned(command).path("accepted").asBoolean()).isTrue();
        }
        JsonNode full = f.sendSigned(f.move("c-4"));
        assertThat(full.path("accepted").asBoolean(true)).isFalse();
        assertThat(full.path("reason").asText()).isEqualTo("queue-full");
        f.plcs.release();
        await().until(() -> f.outbox.messages(MessageType.COMMAND_RESULT).size() == 3);
        assertThat(f.plcs.writeLog).extracting(TagWrite::value).containsExactly(12L, 2L, 3L);
        assertThat(f.outbox.commandResult("c-4")).isNull();
        // c-4 was refused, so its id is free; the queue has room again.
        assertThat(f.sendSigned(f.move("c-4")).path("accepted").asBoolean()).isTrue();
    }

    @Test
    void aSlowPlcDoesNotDelayAnother() throws IOException {
        start();
        f.plcs.plc("plc-2", "belt.target");
        f.plcs.hold();
        f.sendSigned(f.move("c-1"));
        await().untilAtomic(f.plcs.started, org.hamcrest.Matchers.equalTo(1));
        f.plcs.gate = java.util.concurrent.CompletableFuture.completedFuture(null); // new operations pass
        ObjectNode other = f.move("c-2");
        other.put("plcId", "plc-2");
        ((ObjectNode) other.get("payload").get("writes").get(0)).put("tag", "belt.target");
        f.sendSigned(other);
        assertThat(awaitResult("c-2").path("status").asText()).isEqualTo("succeeded");
        assertThat(f.outbox.commandResult("c-1")).isNull();
    }

    @Test
    void aCommandWhoseExpiryPassesWhileQueuedIsNotExecuted() throws IOException {
        start();
        f.plcs.hold();
        f.sendSigned(f.move("c-1"));
        await().untilAtomic(f.plcs.started, org.hamcrest.Matchers.equalTo(1));
        ObjectNode shortLived = f.move("c-2");
        shortLived.put("expiresAt", Fixture.T0 + 1_000);
        assertThat(f.sendSigned(shortLived).path("accepted").asBoolean()).isTrue();
        f.clock.advance(1_001);
        f.plcs.release();
        JsonNode result = awaitResult("c-2");
        assertThat(result.path("status").asText()).isEqualTo("expired");
        assertThat(result.path("error").asText()).isNotEmpty();
        assertThat(f.plcs.started).hasValue(1);
        assertThat(f.plcs.writeLog).hasSize(1);
        assertThat(f.audit.actionsFor("c-2")).doesNotContain("command.executed").contains("command.result");
    }

    @Test
    void aReplayAfterARestartIsStillReplayed() throws IOException {
        start();
        String command = f.signed(f.move("c-1"));
        assertThat(f.send(command).path("accepted").asBoolean()).isTrue();
        awaitResult("c-1");
        f.restart();
        assertThat(Files.exists(dir.resolve("commands").resolve(ReplayCache.FILE_NAME))).isTrue();
        JsonNode reply = f.send(command);
        assertThat(reply.path("reason").asText()).isEqualTo("replayed");
        assertThat(f.plcs.writeLog).hasSize(1);
        // Retention is maxLifetime + skew from acceptance; past it the id is forgotten, and the command
        // itself is long expired, which is then the reason.
        f.clock.advance(630_001);
        f.restart();
        assertThat(f.send(command).path("reason").asText()).isEqualTo("expired");
    }

    @Test
    void commandsLeftInTheQueueAtShutdownAreReportedFailed() throws IOException {
        start();
        f.plcs.hold();
        f.sendSigned(f.move("c-1"));
        await().untilAtomic(f.plcs.started, org.hamcrest.Matchers.equalTo(1));
        f.sendSigned(f.move("c-2"));
        f.service.deactivate();
        JsonNode result = f.outbox.commandResult("c-2");
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(result.path("error").asText()).contains("stopped");
        f.service = null;
    }

    /** The CommandStats service: each command is timed once, under the outcome the WMS was told. */
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
        assertThat(awaitResult("c-3").path("status").asText()).isEqualTo("timed-out");
        assertThat(awaitResult("c-4").path("status").asText()).isEqualTo("expired");

        Map<String, LatencyHistogram> latency = f.service.latencyByOutcome();
        assertThat(latency.get(CommandStats.REJECTED).count()).isEqualTo(2);
        assertThat(latency.get(CommandStats.SUCCEEDED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.FAILED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.TIMED_OUT).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.EXPIRED).count()).isEqualTo(1);
        assertThat(latency.get(CommandStats.TIMED_OUT).upperBounds()).containsExactly(
                java.util.Arrays.stream(CommandLatency.BOUNDS_SECONDS).boxed().toArray(Double[]::new));
    }
}
