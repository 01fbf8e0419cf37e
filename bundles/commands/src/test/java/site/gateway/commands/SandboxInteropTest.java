package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.commands.jcs.EcmaNumber;
import site.gateway.commands.jcs.JsonCanonicalizer;
import site.gateway.sandbox.CommandSigner;
import site.gateway.sandbox.jcs.Jcs;
import site.gateway.sandbox.pki.CommandKey;

/**
 * Our JCS and verification against the WMS sandbox's independent implementation (tools/wms-sandbox):
 * same canonical bytes for awkward input, and a command the sandbox signs verifies here.
 */
class SandboxInteropTest {

    @Test
    void bothCanonicalisersAgreeOnNumbersStringsAndOrdering() throws Exception {
        List<String> inputs = List.of(
                "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,1e21,1e-7,-0,5e-324]}",
                "{\"\\u20ac\":1,\"\\r\":2,\"\\ufb33\":3,\"1\":4,\"\\ud83d\\ude00\":5,\"\\u0080\":6,\"\\u00f6\":7}",
                "{\"s\":\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\\u007f\\u2028\u00e9\"}",
                "{\"b\":[{\"z\":null,\"a\":true},[],{}],\"a\":{\"y\":false,\"x\":\"\"}}");
        for (String input : inputs) {
            JsonNode node = JsonCanonicalizer.parse(input);
            assertThat(JsonCanonicalizer.canonicalize(node)).as(input).isEqualTo(Jcs.canonicalizeToUtf8(node));
        }
    }

    @Test
    void bothSerialiseTheReferenceNumbersAlike() throws Exception {
        List<String> lines;
        try (var in = new BufferedReader(new InputStreamReader(JsonCanonicalizer.class
                .getResourceAsStream("ecmascript-numbers.txt"), StandardCharsets.UTF_8))) {
            lines = in.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
        }
        for (String line : lines) {
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.split(" ")[0], 16));
            assertThat(Jcs.serializeNumber(value)).as(line).isEqualTo(EcmaNumber.toString(value));
        }
    }

    @Test
    void aCommandSignedByTheSandboxVerifiesHereAndATamperedOneDoesNot() throws Exception {
        CommandKey key = CommandKey.generate("wms-cmd-interop");
        ObjectNode command = Json.object();
        command.put("type", "command").put("commandId", "c-interop").put("tenantId", "acme").put("gatewayId", "gw-1")
                .put("plcId", "plc-1").put("kind", "move").put("issuedAt", 1764259200000L)
                .put("expiresAt", 1764259260000L).put("kid", key.kid());
        ObjectNode write = command.putObject("payload").putArray("writes").addObject();
        write.put("tag", "conveyor1.target").put("value", 0.1 + 0.2);
        command.putObject("extra").put("\u00f6\u20ac", 1e21).put("note", "line\nbreak \"quoted\"");
        ObjectNode signed = new CommandSigner(key).sign(command);

        Command parsed = CommandParser.envelope(CommandParser.readTree(Json.write(signed)), "c-interop");
        var publicKey = Ed25519Verifier.ed25519(key.publicKey()).orElseThrow();
        assertThat(Ed25519Verifier.verify(publicKey, parsed.signedBytes(), parsed.sig())).isTrue();

        // Padding on sig is tolerated (§3.6).
        ObjectNode padded = signed.deepCopy();
        padded.put("sig", signed.get("sig").asText() + "==");
        Command paddedParsed = CommandParser.envelope(CommandParser.readTree(Json.write(padded)), "c-interop");
        assertThat(Ed25519Verifier.verify(publicKey, paddedParsed.signedBytes(), paddedParsed.sig())).isTrue();

        ObjectNode tampered = signed.deepCopy();
        ((ObjectNode) tampered.get("extra")).put("note", "changed");
        Command tamperedParsed = CommandParser.envelope(CommandParser.readTree(Json.write(tampered)), "c-interop");
        assertThat(Ed25519Verifier.verify(publicKey, tamperedParsed.signedBytes(), tamperedParsed.sig())).isFalse();
    }
}
