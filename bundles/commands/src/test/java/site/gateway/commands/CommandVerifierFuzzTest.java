package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 16.5: every {@code command} frame the WMS (or anyone on the path) sends goes through
 * {@link CommandService#handle}: envelope parsing, canonicalisation, payload checks and the Ed25519
 * verification. Whatever the bytes, it answers with one JSON reply (a refused ack or an invalid-command
 * error) and never throws; and no input the fuzzer makes can be accepted, since it cannot sign with the
 * fixture's key. Seeds: {@code src/test/resources/site/gateway/commands/CommandVerifierFuzzTestInputs/}.
 */
class CommandVerifierFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Fixture FIXTURE = startFixture();

    private static Fixture startFixture() {
        try {
            return new Fixture(Files.createTempDirectory("commands-fuzz")).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void anyFrameIsAnsweredAndNoneWithoutTheKeyIsAccepted(byte[] input) throws IOException {
        String reply = FIXTURE.service.handle(new String(input, StandardCharsets.UTF_8));
        JsonNode answer = JSON.readTree(reply);
        assertThat(answer.path("type").asText()).isIn("command.ack", "error");
        assertThat(answer.path("accepted").asBoolean(false)).as("accepted without a valid signature: %s", reply).isFalse();
    }
}
