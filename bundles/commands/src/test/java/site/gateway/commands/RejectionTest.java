package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.status.Alert;

/** One test per rejection reason of §3.6: accepted false with that reason, nothing reaches the PLC. */
class RejectionTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws IOException {
        f = new Fixture(dir).start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private void assertRejected(JsonNode reply, String commandId, String reason) {
        assertThat(reply.path("type").asText()).isEqualTo("command.ack");
        assertThat(reply.path("commandId").asText()).isEqualTo(commandId);
        assertThat(reply.path("accepted").asBoolean(true)).isFalse();
        assertThat(reply.path("reason").asText()).isEqualTo(reason);
        assertThat(f.plcs.started).hasValue(0);
        assertThat(f.outbox.messages(MessageType.COMMAND_RESULT)).isEmpty();
        assertThat(f.audit.actionsFor(commandId)).contains("command.rejected");
        boolean alerting = List.of("bad-signature", "unknown-key", "wrong-gateway", "replayed").contains(reason);
        List<Alert> alerts = f.alerts.raised.stream().filter(a -> commandId.equals(a.fields().get("commandId"))).toList();
        if (alerting) {
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.code()).isEqualTo("command.rejected");
                assertThat(a.severity().wireName()).isEqualTo("warning");
                assertThat(a.fields()).containsEntry("reason", reason);
            });
        } else {
            assertThat(alerts).isEmpty();
        }
    }

    private JsonNode sendModified(String id, Consumer<ObjectNode> change) {
        ObjectNode command = f.move(id);
        change.accept(command);
        return f.sendSigned(command);
    }

    @Test
    void missingFieldIsInvalidPayload() {
        assertRejected(sendModified("c-1", c -> c.remove("expiresAt")), "c-1", "invalid-payload");
        assertRejected(sendModified("c-2", c -> c.put("issuedAt", 1.5)), "c-2", "invalid-payload");
        assertRejected(sendModified("c-3", c -> c.put("plcId", "plc 1")), "c-3", "invalid-payload");
        assertRejected(sendModified("c-4", c -> c.put("payload", "x")), "c-4", "invalid-payload");
        assertRejected(sendModified("c-5", c -> c.put("kid", "../keys/x")), "c-5", "invalid-payload");
        ObjectNode unsigned = f.move("c-6");
        assertRejected(f.send(Json.write(unsigned)), "c-6", "invalid-payload");
        ObjectNode badSig = f.signer.sign(f.move("c-7"));
        badSig.put("sig", "not*base64url");
        assertRejected(f.send(Json.write(badSig)), "c-7", "invalid-payload");
    }

    @Test
    void unknownKidIsUnknownKey() {
        ObjectNode command = f.move("c-1");
        command.put("kid", "wms-cmd-2019");
        assertRejected(f.sendSigned(command), "c-1", "unknown-key");
    }

    @Test
    void aKeyThatIsNotEd25519IsUnknownKey() throws Exception {
        f.signer.publish("rsa-key", java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic());
        ObjectNode command = f.move("c-1");
        command.put("kid", "rsa-key");
        assertRejected(f.sendSigned(command), "c-1", "unknown-key");
    }

    @Test
    void tamperedCommandIsBadSignature() {
        ObjectNode command = f.signer.sign(f.move("c-1"));
        ((ObjectNode) command.get("payload").get("writes").get(0)).put("value", 13);
        assertRejected(f.send(Json.write(command)), "c-1", "bad-signature");
    }

    @Test
    void signatureByAnotherKeyIsBadSignature() {
        f.signer.publish(f.signer.kid, TestSigner.generate().getPublic());
        assertRejected(f.sendSigned(f.move("c-1")), "c-1", "bad-signature");
    }

    /**
     * Issue 13 point 4: ten minutes of forged frames, each carrying a frame-sized tag name with line
     * breaks and escapes, leave a bounded, cleaned audit trail, while authentic commands keep working.
     */
    @Test
    void aTenMinuteFloodOfForgedFramesLeavesABoundedCleanTrailAndCommandsKeepWorking() {
        String hostile = "tag\n2026-12-05 INFO forged log line \u001b[2J\u202e" + "x".repeat(60_000);
        int perMinute = 1000;
        for (int minute = 0; minute < 10; minute++) {
            for (int i = 0; i < perMinute; i++) {
                ObjectNode command = f.move("forged-" + minute + "-" + i);
                ((ObjectNode) command.get("payload").get("writes").get(0)).put("tag", hostile);
                f.send(Json.write(command)); // unsigned: invalid-payload (unknown tag) or unknown-key
                f.clock.advance(60);
            }
            ObjectNode good = f.move("good-" + minute);
            assertThat(f.sendSigned(good).path("accepted").asBoolean()).as("minute " + minute).isTrue();
        }
        f.service.deactivate();
        f.service = null;

        List<site.gateway.api.audit.AuditEvent> rejected = f.audit.withAction("command.rejected");
        List<site.gateway.api.audit.AuditEvent> summaries = f.audit.withAction("command.rejected-summary");
        assertThat(rejected).hasSizeLessThanOrEqualTo(11 * CommandService.REJECTIONS_RECORDED_PER_MINUTE);
        assertThat(summaries).hasSizeBetween(9, 11);
        long counted = summaries.stream().mapToLong(e -> ((Number) e.details().get("count")).longValue()).sum();
        assertThat(rejected.size() + counted).as("every rejection is accounted for").isEqualTo(10L * perMinute);
        assertThat(f.audit.events).allSatisfy(e -> {
            String text = e.toString();
            assertThat(text.length()).isLessThan(1000);
            assertThat(text).doesNotContain("\n", "\u001b", "\u202e");
        });
        assertThat(f.audit.withAction("command.received")).hasSize(10); // the authentic ones only
    }

    @Test
    void aFloodOfForgedCommandsRaisesBoundedAlertsAndThenTheCount() {
        int flood = CommandService.REJECTION_ALERTS_PER_MINUTE + 5;
        for (int i = 0; i < flood; i++) {
            ObjectNode command = f.signer.sign(f.move("forged-" + i));
            command.put("sig", command.get("sig").asText().substring(0, 40));
            assertThat(f.send(Json.write(command)).path("reason").asText()).isEqualTo("bad-signature");
        }
        assertThat(f.alerts.raised).hasSize(CommandService.REJECTION_ALERTS_PER_MINUTE);
        assertThat(f.audit.actionsFor("forged-" + (flood - 1))).contains("command.rejected");

        f.clock.advance(60_000);
        ObjectNode next = f.signer.sign(f.move("forged-next"));
        next.put("sig", next.get("sig").asText().substring(0, 40));
        f.send(Json.write(next));
        assertThat(f.alerts.raised).hasSize(CommandService.REJECTION_ALERTS_PER_MINUTE + 1);
        assertThat(f.alerts.raised.get(f.alerts.raised.size() - 1).fields()).containsEntry("suppressed", 5L);
    }

    @Test
    void truncatedSignatureIsBadSignature() {
        ObjectNode command = f.signer.sign(f.move("c-1"));
        command.put("sig", command.get("sig").asText().substring(0, 40));
        assertRejected(f.send(Json.write(command)), "c-1", "bad-signature");
    }

    @Test
    void otherTenantOrGatewayIsWrongGateway() {
        assertRejected(sendModified("c-1", c -> c.put("tenantId", "other")), "c-1", "wrong-gateway");
        assertRejected(sendModified("c-2", c -> c.put("gatewayId", "gw-other")), "c-2", "wrong-gateway");
    }

    @Test
    void pastExpiryPlusSkewIsExpired() {
        assertRejected(sendModified("c-1", c -> {
            c.put("issuedAt", Fixture.T0 - 120_000);
            c.put("expiresAt", Fixture.T0 - 30_001);
        }), "c-1", "expired");
    }

    @Test
    void configuredSkewApplies() throws IOException {
        f.close();
        f = new Fixture(dir).with("clockSkewSeconds", 5).start();
        assertRejected(sendModified("c-1", c -> {
            c.put("issuedAt", Fixture.T0 - 60_000);
            c.put("expiresAt", Fixture.T0 - 5_001);
        }), "c-1", "expired");
    }

    @Test
    void secondUseOfACommandIdIsReplayed() {
        String command = f.signed(f.move("c-1"));
        assertThat(f.send(command).path("accepted").asBoolean()).isTrue();
        org.awaitility.Awaitility.await().until(() -> f.outbox.commandResult("c-1") != null);
        f.plcs.started.set(0);
        f.outbox.acknowledgeAll();
        assertRejected(f.send(command), "c-1", "replayed");
    }

    @Test
    void unknownPlcIsUnknownPlc() {
        assertRejected(sendModified("c-1", c -> c.put("plcId", "plc-9")), "c-1", "unknown-plc");
    }

    @Test
    void unknownKindIsUnsupportedKind() {
        assertRejected(sendModified("c-1", c -> c.put("kind", "reboot")), "c-1", "unsupported-kind");
        assertRejected(sendModified("c-2", c -> c.put("plcId", "gateway")), "c-2", "unsupported-kind");
    }

    @Test
    void badPayloadsAndTimesAreInvalidPayload() {
        assertRejected(sendModified("c-1", c -> ((ObjectNode) c.get("payload").get("writes").get(0))
                .put("tag", "not.configured")), "c-1", "invalid-payload");
        assertRejected(sendModified("c-2", c -> ((ObjectNode) c.get("payload")).putArray("writes")),
                "c-2", "invalid-payload");
        assertRejected(sendModified("c-3", c -> ((ObjectNode) c.get("payload").get("writes").get(0))
                .putObject("value")), "c-3", "invalid-payload");
        assertRejected(sendModified("c-4", c -> {
            c.put("issuedAt", Fixture.T0 + 30_001);
            c.put("expiresAt", Fixture.T0 + 60_000);
        }), "c-4", "invalid-payload");
        assertRejected(sendModified("c-5", c -> c.put("expiresAt", Fixture.T0 + 600_001)), "c-5", "invalid-payload");
        assertRejected(sendModified("c-6", c -> c.put("expiresAt", Fixture.T0 - 1)), "c-6", "invalid-payload");
        assertRejected(sendModified("c-7", c -> {
            c.put("kind", "query");
            c.set("payload", Json.object().set("reads", Json.array().add(5)));
        }), "c-7", "invalid-payload");
        assertRejected(sendModified("c-8", c -> ((ObjectNode) c.get("payload").get("writes").get(0))
                .put("value", 9007199254740993L)), "c-8", "invalid-payload");
    }

    @Test
    void limitsAtTheirBoundaryAreAccepted() {
        assertThat(sendModified("c-1", c -> {
            c.put("issuedAt", Fixture.T0 + 30_000);
            c.put("expiresAt", Fixture.T0 + 630_000);
        }).path("accepted").asBoolean()).isTrue();
        assertThat(sendModified("c-2", c -> {
            c.put("issuedAt", Fixture.T0 - 90_000);
            c.put("expiresAt", Fixture.T0 - 30_000);
        }).path("accepted").asBoolean()).isTrue();
    }

    @Test
    void noUsableCommandIdIsAnInvalidCommandError() {
        for (String message : List.of("not json", "[1,2]", "{\"type\":\"command\"}",
                "{\"type\":\"command\",\"commandId\":\"has space\"}", "{\"type\":\"command\",\"commandId\":7}")) {
            JsonNode reply = f.send(message);
            assertThat(reply.path("type").asText()).as(message).isEqualTo("error");
            assertThat(reply.path("code").asText()).isEqualTo("invalid-command");
        }
        assertThat(f.plcs.started).hasValue(0);
        assertThat(f.outbox.messages()).isEmpty();
    }

    @Test
    void aFailingPlcRegistryRefusesWithQueueFullAndRemembersNothing() throws IOException {
        f.close();
        f = new Fixture(dir);
        f.plcs.failStatus = true;
        f.start();
        assertRejected(f.sendSigned(f.move("c-1")), "c-1", "queue-full");
        f.plcs.failStatus = false;
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
    }

    @Test
    void rejectedIdsAreNotRemembered() {
        assertRejected(sendModified("c-1", c -> c.put("plcId", "plc-9")), "c-1", "unknown-plc");
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
    }
}
