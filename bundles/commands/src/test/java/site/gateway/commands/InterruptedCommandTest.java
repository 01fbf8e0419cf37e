package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.outbox.MessageType;
import site.gateway.testsupport.MemoryOutbox;

/**
 * An accepted command that a kill cut short (queued, or running on the PLC) gets exactly one command.result,
 * {@code failed}, from the next run; a command whose result was sent gets no second one, however often the
 * gateway restarts. On the real replay file.
 */
class InterruptedCommandTest {
    @TempDir
    Path dir;

    @Test
    void commandsRunningOrQueuedWhenKilledGetOneFailedResultFromTheNextRun() throws IOException {
        try (Fixture f = new Fixture(dir).start()) {
            f.plcs.hold();
            assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
            await().untilAtomic(f.plcs.started, Matchers.equalTo(1));
            assertThat(f.sendSigned(f.move("c-2")).path("accepted").asBoolean()).isTrue();
            f.clock.advance(5_000);

            MemoryOutbox killedRun = f.kill();

            assertThat(results(killedRun)).isEmpty();
            List<JsonNode> results = results(f.outbox);
            assertThat(results).extracting(r -> r.path("commandId").asText()).containsExactly("c-1", "c-2");
            for (JsonNode result : results) {
                assertThat(result.fieldNames()).toIterable().containsExactly("type", "tenantId", "gatewayId",
                        "commandId", "plcId", "status", "error", "completedAt");
                assertThat(result.path("tenantId").asText()).isEqualTo(Fixture.TENANT);
                assertThat(result.path("gatewayId").asText()).isEqualTo(Fixture.GATEWAY);
                assertThat(result.path("plcId").asText()).isEqualTo(Fixture.PLC);
                assertThat(result.path("status").asText()).isEqualTo("failed");
                assertThat(result.path("error").asText()).isEqualTo("the gateway restarted before the command"
                        + " finished; whether it reached the PLC is unknown (it may have partly run)");
                assertThat(result.path("completedAt").asLong()).isEqualTo(Fixture.T0 + 5_000);
            }
            // Recorded in the constructor, written when the audit trail is bound.
            List<AuditEvent> interrupted = f.audit.withAction("command.interrupted");
            assertThat(interrupted).extracting(AuditEvent::target).containsExactly("c-1", "c-2");
            assertThat(interrupted).extracting(AuditEvent::actor).containsOnly("system");

            f.restart();
            f.kill();
            assertThat(results(f.outbox)).as("reported once only").isEmpty();
            assertThat(f.sendSigned(f.move("c-1")).path("reason").asText()).isEqualTo("replayed");
        }
    }

    @Test
    void aCommandWhoseResultWasSentGetsNoSecondOneAfterAKill() throws IOException {
        try (Fixture f = new Fixture(dir).start()) {
            f.sendSigned(f.move("c-1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> f.outbox.commandResult("c-1") != null);

            MemoryOutbox killedRun = f.kill();
            f.kill();

            assertThat(results(killedRun)).extracting(r -> r.path("status").asText()).containsExactly("succeeded");
            assertThat(results(f.outbox)).isEmpty();
            assertThat(f.audit.withAction("command.interrupted")).isEmpty();
        }
    }

    @Test
    void commandsStoppedInAnOrderlyWayAreNotReportedAgain() throws IOException {
        try (Fixture f = new Fixture(dir).start()) {
            f.plcs.hold();
            f.sendSigned(f.move("c-1"));
            await().untilAtomic(f.plcs.started, Matchers.equalTo(1));
            f.sendSigned(f.move("c-2"));
            MemoryOutbox stoppedRun = f.outbox;
            f.service.deactivate();
            f.service = null;
            f.outbox = new MemoryOutbox();
            f.start();

            // c-1 was running: its thread, interrupted, reports "gateway stopping" unless it misses the join, and
            // then this run reports it. Either way one result each, over both runs.
            List<String> ids = new ArrayList<>();
            results(stoppedRun).forEach(r -> ids.add(r.path("commandId").asText()));
            results(f.outbox).forEach(r -> ids.add(r.path("commandId").asText()));
            assertThat(ids).containsExactlyInAnyOrder("c-1", "c-2");
            assertThat(stoppedRun.commandResult("c-2").path("error").asText()).contains("stopped before");
        }
    }

    @Test
    void aPreviousVersionsLinesGiveNoResultAndATornLastLineIsIgnored() throws IOException {
        Path file = Files.createDirectories(dir.resolve("commands")).resolve(ReplayCache.FILE_NAME);
        long until = Fixture.T0 + 600_000;
        // c-old: a line of the previous version (no record of results). c-1: torn while its done record was
        // appended, so before its result reached the outbox.
        Files.writeString(file, until + " c-old\n" + until + " c-1\npending c-1 plc-1\ndone c-1",
                StandardCharsets.US_ASCII);
        try (Fixture f = new Fixture(dir).start()) {
            assertThat(results(f.outbox)).extracting(r -> r.path("commandId").asText()).containsExactly("c-1");
            f.service.deactivate();
            f.service = null;

            // c-2: torn while accepted, so never acknowledged.
            Files.writeString(file, until + " c-2\npending c-2 plc-1", StandardCharsets.US_ASCII,
                    StandardOpenOption.APPEND);
            f.kill();
            assertThat(results(f.outbox)).isEmpty();
            assertThat(f.sendSigned(f.move("c-old")).path("reason").asText()).isEqualTo("replayed");
            assertThat(f.sendSigned(f.move("c-2")).path("reason").asText()).isEqualTo("replayed");
        }
    }

    private static List<JsonNode> results(MemoryOutbox outbox) {
        return outbox.messages(MessageType.COMMAND_RESULT);
    }
}
