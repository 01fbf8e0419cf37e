package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;

/**
 * Issue 13 point 3: move and config commands write only tags the site marked writable, within their
 * range; anything else is rejected with a reason and never reaches the PLC.
 */
class WritePermissionTest {
    @TempDir
    Path dir;
    Fixture f;

    @BeforeEach
    void start() throws IOException {
        f = new Fixture(dir);
        f.plcs.readOnly(Fixture.PLC, Fixture.TAG2).range(Fixture.PLC, Fixture.TAG, 0.0, 100.0);
        f.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private ObjectNode write(String id, String kind, String tag, Object value) {
        ObjectNode c = f.move(id);
        c.put("kind", kind);
        ObjectNode w = (ObjectNode) c.path("payload").path("writes").get(0);
        w.put("tag", tag);
        w.set("value", Json.MAPPER.valueToTree(value));
        return c;
    }

    private void assertRejected(ObjectNode command, String detail) {
        JsonNode ack = f.sendSigned(command);
        assertThat(ack.path("accepted").asBoolean()).as(command.toString()).isFalse();
        assertThat(ack.path("reason").asText()).isEqualTo("invalid-payload");
        String id = command.path("commandId").asText();
        assertThat(f.audit.withAction("command.rejected")).filteredOn(e -> e.target().equals(id)).singleElement()
                .satisfies(e -> assertThat(String.valueOf(e.details().get("detail"))).contains(detail));
    }

    @Test
    void readOnlyTagsAndValuesOutOfRangeAreRejectedWithTheReason() {
        assertRejected(write("w-1", "move", Fixture.TAG2, 5), "is not writable");
        assertRejected(write("w-2", "config", Fixture.TAG2, 5), "is not writable");
        assertRejected(write("w-3", "move", Fixture.TAG, 101), "above the max 100.0");
        assertRejected(write("w-4", "move", Fixture.TAG, -0.5), "below the min 0.0");
        assertRejected(write("w-5", "move", Fixture.TAG, true), "numbers only");
        assertRejected(write("w-6", "move", Fixture.TAG, java.util.List.of(1, 200)), "above the max");

        assertThat(f.plcs.started.get()).as("nothing reached the PLC").isZero();
        assertThat(f.plcs.writeLog).isEmpty();
        assertThat(f.outbox.messages(MessageType.COMMAND_RESULT)).isEmpty();
    }

    @Test
    void aWritableTagWithinItsRangeIsWritten() {
        assertThat(f.sendSigned(write("ok-1", "move", Fixture.TAG, 100)).path("accepted").asBoolean()).isTrue();
        await().until(() -> f.outbox.commandResult("ok-1") != null);
        assertThat(f.outbox.commandResult("ok-1").path("status").asText()).isEqualTo("succeeded");
        assertThat(f.plcs.writeLog).extracting(w -> w.tag()).containsExactly(Fixture.TAG);
    }

    @Test
    void aPlcThatKnowsNoPermissionsWritesNothing() throws IOException {
        f.plcs.writable.get(Fixture.PLC).clear();
        assertRejected(write("n-1", "move", Fixture.TAG, 1), "is not writable");
    }
}
