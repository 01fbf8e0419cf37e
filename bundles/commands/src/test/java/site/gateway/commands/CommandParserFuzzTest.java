package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.plc.WritableTag;
import site.gateway.commands.jcs.JsonCanonicalizer;

/**
 * Issue 16.5: {@link CommandParser} and {@link PayloadValidator} on any text refuse with their own checked
 * exceptions ({@link UnusableCommand}, {@link Rejection}) and nothing else; what they accept has a signed
 * form that is canonical (canonicalising it again changes nothing), so the bytes the signature covers are
 * well defined.
 */
class CommandParserFuzzTest {
    private static final Set<String> TAGS = Set.of("line.target", "line.speed");
    private static final Map<String, WritableTag> WRITABLE = Map.of("line.target", new WritableTag("line.target", 0.0, 1000.0));

    @FuzzTest(maxDuration = "5s")
    void anyTextParsesOrIsRefusedWithAReason(byte[] input) throws Exception {
        JsonNode root;
        Command command;
        try {
            root = CommandParser.readTree(new String(input, StandardCharsets.UTF_8));
            command = CommandParser.envelope(root, CommandParser.commandId(root));
        } catch (UnusableCommand | Rejection refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        String signed = new String(command.signedBytes(), StandardCharsets.UTF_8);
        assertThat(JsonCanonicalizer.canonicalize(signed)).as("canonical form is a fixed point").isEqualTo(command.signedBytes());
        assertThat(JsonCanonicalizer.parse(signed).has("sig")).isFalse();
        try {
            switch (command.kind()) {
                case "move" -> PayloadValidator.writes(command.payload(), TAGS, WRITABLE);
                case "query" -> PayloadValidator.reads(command.payload(), TAGS);
                default -> PayloadValidator.gatewayConfig(command.payload(), Set.of("gateway.wms", "gateway.plc-*"));
            }
        } catch (Rejection refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
