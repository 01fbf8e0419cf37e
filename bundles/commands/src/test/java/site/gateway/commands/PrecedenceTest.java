package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * When several reasons apply the first of §3.6's order wins: invalid-payload (malformed envelope),
 * unknown-key, bad-signature, wrong-gateway, expired, replayed, unknown-plc, unsupported-kind,
 * invalid-payload (the kind's payload and the times), queue-full. Each test breaks two adjacent rules.
 */
class PrecedenceTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws IOException {
        f = new Fixture(dir).with("queueCapacity", 1).start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String reason(ObjectNode command) {
        return f.send(Json.write(command)).path("reason").asText();
    }

    @Test
    void malformedEnvelopeBeatsUnknownKey() {
        ObjectNode c = f.signer.sign(f.move("c-1"));
        c.put("kid", "nobody");
        c.remove("issuedAt");
        assertThat(reason(c)).isEqualTo("invalid-payload");
    }

    @Test
    void unknownKeyBeatsBadSignature() {
        ObjectNode c = f.signer.sign(f.move("c-1"));
        c.put("kid", "nobody");
        assertThat(reason(c)).isEqualTo("unknown-key");
    }

    @Test
    void badSignatureBeatsWrongGateway() {
        ObjectNode c = f.signer.sign(f.move("c-1"));
        c.put("gatewayId", "gw-other");
        assertThat(reason(c)).isEqualTo("bad-signature");
    }

    @Test
    void wrongGatewayBeatsExpired() {
        ObjectNode c = f.move("c-1");
        c.put("tenantId", "other");
        c.put("issuedAt", Fixture.T0 - 200_000);
        c.put("expiresAt", Fixture.T0 - 100_000);
        assertThat(reason(f.signer.sign(c))).isEqualTo("wrong-gateway");
    }

    @Test
    void expiredBeatsReplayed() {
        ObjectNode c = f.move("c-1");
        c.put("expiresAt", Fixture.T0 + 1_000);
        String json = f.signed(c);
        assertThat(f.send(json).path("accepted").asBoolean()).isTrue();
        f.clock.advance(31_001);
        assertThat(f.send(json).path("reason").asText()).isEqualTo("expired");
    }

    @Test
    void replayedBeatsUnknownPlc() {
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
        ObjectNode c = f.move("c-1");
        c.put("plcId", "plc-9");
        assertThat(reason(f.signer.sign(c))).isEqualTo("replayed");
    }

    @Test
    void unknownPlcBeatsUnsupportedKind() {
        ObjectNode c = f.move("c-1");
        c.put("plcId", "plc-9");
        c.put("kind", "reboot");
        assertThat(reason(f.signer.sign(c))).isEqualTo("unknown-plc");
    }

    @Test
    void anUnknownKindHasNoPayloadShapeToCheckButItsLifetimeIsStillCheckedFirst() {
        ObjectNode c = f.move("c-1");
        c.put("kind", "reboot");
        c.set("payload", Json.object());
        assertThat(reason(f.signer.sign(c))).isEqualTo("unsupported-kind");

        ObjectNode tooLong = f.move("c-2");
        tooLong.put("kind", "reboot");
        tooLong.put("expiresAt", Fixture.T0 + 3_600_000);
        // §3.6: invalid-payload is first in the order, whatever else applies.
        assertThat(reason(f.signer.sign(tooLong))).isEqualTo("invalid-payload");
    }

    @Test
    void aMalformedPayloadBeatsAnUnknownKeyAndAnUnknownPlc() {
        ObjectNode c = f.move("c-1");
        c.set("payload", Json.object()); // a move without writes
        c.put("kid", "no-such-key");
        c.put("plcId", "no-such-plc");
        assertThat(reason(f.signer.sign(c))).isEqualTo("invalid-payload");
    }

    @Test
    void invalidPayloadBeatsQueueFull() {
        f.plcs.hold();
        f.sendSigned(f.move("c-1"));
        Awaitility.await().untilAtomic(f.plcs.started, org.hamcrest.Matchers.equalTo(1));
        assertThat(f.sendSigned(f.move("c-2")).path("accepted").asBoolean()).isTrue();
        assertThat(f.sendSigned(f.move("c-3")).path("reason").asText()).isEqualTo("queue-full");
        ObjectNode c = f.move("c-4");
        ((ObjectNode) c.get("payload").get("writes").get(0)).put("tag", "nope");
        assertThat(reason(f.signer.sign(c))).isEqualTo("invalid-payload");
    }
}
