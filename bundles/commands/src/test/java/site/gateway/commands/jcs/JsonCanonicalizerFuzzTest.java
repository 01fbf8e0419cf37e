package site.gateway.commands.jcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 16.5: the RFC 8785 canonicaliser the signatures rest on. Any text is canonicalised or refused as
 * JSON ({@link JsonProcessingException}) or as not canonicalisable ({@link IllegalArgumentException});
 * a canonical form is a fixed point and means the same value; and every finite double's ECMAScript form
 * reads back as the same double.
 */
class JsonCanonicalizerFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void canonicalFormsAreFixedPointsAndNumbersReadBack(FuzzedDataProvider data) throws Exception {
        double number = data.consumeDouble();
        if (Double.isFinite(number)) {
            String ecma = EcmaNumber.toString(number);
            assertThat(Double.parseDouble(ecma)).as("%s read back from %s", number, ecma).isEqualTo(number == 0 ? 0.0 : number);
        }
        String json = data.consumeRemainingAsString();
        byte[] canonical;
        JsonNode parsed;
        try {
            parsed = JsonCanonicalizer.parse(json);
            canonical = JsonCanonicalizer.canonicalize(parsed);
        } catch (JsonProcessingException | IllegalArgumentException refused) {
            return;
        }
        String text = new String(canonical, StandardCharsets.UTF_8);
        assertThat(JsonCanonicalizer.canonicalize(text)).as("fixed point of %s", json).isEqualTo(canonical);
        assertThat(JsonCanonicalizer.parse(text).size()).isEqualTo(parsed.size());
    }
}
