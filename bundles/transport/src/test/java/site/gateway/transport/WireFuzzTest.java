package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 16.5: what the WMS sends is parsed by {@link Wire}: WebSocket frames, the register and token
 * answers. Whatever the bytes, the parser answers with a value or an {@link IOException} the session
 * logs and survives; any other exception would escape into the session thread. The seeds (and every
 * crash found) are in {@code src/test/resources/site/gateway/transport/WireFuzzTestInputs/}; run without
 * JAZZER_FUZZ they are a regression test, {@code tools/fuzz.sh} fuzzes.
 */
class WireFuzzTest {
    private static final URI ENDPOINT = URI.create("https://wms.example:8443");
    private final Wire wire = new Wire();

    @FuzzTest(maxDuration = "5s")
    void whatTheWmsSendsParsesOrFailsWithAnIoException(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            JsonNode frame = wire.parseMessage(text);
            assertThat(frame.isObject()).isTrue();
            assertThat(frame.path("type").isTextual()).isTrue();
        } catch (IOException refused) {
            // answered with an error frame, the session goes on
        }
        try {
            Registration r = wire.registration(ENDPOINT, input, 1_000L);
            assertThat(r.token()).isNotEmpty();
            assertThat(r.heartbeatIntervalSeconds()).isPositive();
            assertThat(r.lastReceivedSeq()).isNotNegative();
        } catch (IOException refused) {
            // registration failed: logged, backoff, retry
        }
        try {
            assertThat(wire.tokenAnswer(input).path("token").asText()).isNotEmpty();
        } catch (IOException refused) {
            // token refresh failed: logged, retried
        }
    }
}
