package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Issue 13 point 6: replay protection holds when the clock jumps, comes back, or the skew is raised. */
class ClockTest {
    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aCapturedCommandStaysRefusedAfterTheClockJumpedForwardAndCameBack() throws IOException {
        f = new Fixture(dir).start();
        String captured = f.signed(f.move("c-1"));
        assertThat(f.send(captured).path("accepted").asBoolean()).isTrue();
        await().until(() -> f.outbox.commandResult("c-1") != null);

        f.clock.advance(86_400_000L); // a day ahead: NTP glitch, or an attacker with access to the clock
        assertThat(f.sendSigned(f.move("c-2")).path("accepted").asBoolean()).as("prunes c-1").isTrue();
        await().until(() -> f.outbox.commandResult("c-2") != null);
        f.clock.advance(-86_400_000L + 5_000);

        JsonNode replay = f.send(captured);
        assertThat(replay.path("accepted").asBoolean()).isFalse();
        assertThat(replay.path("reason").asText()).isEqualTo("queue-full");
        assertThat(f.alerts.withCode("clock.behind")).singleElement();

        f.restart(); // the highest time seen is on disk, not only in memory
        assertThat(f.send(captured).path("accepted").asBoolean()).isFalse();
        assertThat(f.plcs.writeLog).hasSize(2); // c-1 and c-2, once each
    }

    @Test
    void whileTheClockIsBehindAnInauthenticCommandStillGetsItsOwnReason() throws IOException {
        f = new Fixture(dir).start();
        f.clock.advance(86_400_000L);
        assertThat(f.sendSigned(f.move("c-1")).path("accepted").asBoolean()).isTrue();
        f.clock.advance(-86_400_000L);

        ObjectNode tampered = f.signer.sign(f.move("c-2"));
        ((ObjectNode) tampered.get("payload").get("writes").get(0)).put("value", 13);
        JsonNode reply = f.send(Json.write(tampered));
        assertThat(reply.path("reason").asText()).isEqualTo("bad-signature");
        assertThat(f.alerts.withCode("command.rejected")).singleElement();
        assertThat(f.sendSigned(f.move("c-3")).path("reason").asText()).as("authentic: not now").isEqualTo("queue-full");
    }

    @Test
    void raisingTheSkewKeepsIdsAcceptedUnderTheSmallerOneRefused() throws IOException {
        f = new Fixture(dir).with("clockSkewSeconds", 30).start();
        String captured = f.signed(f.move("c-1")); // expiresAt = T0 + 60 s, remembered until T0 + 630 s
        assertThat(f.send(captured).path("accepted").asBoolean()).isTrue();

        f.service.modified(f.with("clockSkewSeconds", 3600).config());
        f.service.modified(f.with("clockSkewSeconds", 30).config()); // and back: the largest ever still counts
        f.service.modified(f.with("clockSkewSeconds", 3600).config());
        f.clock.advance(700_000); // past the old retention, within expiresAt + the new skew

        assertThat(f.send(captured).path("reason").asText()).isEqualTo("replayed");
    }
}
