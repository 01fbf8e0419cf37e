package site.gateway.commands.jcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;

/** RFC 8785 test vectors (§3.2.2, §3.2.3, Appendix B) plus ECMAScript reference outputs. */
class JsonCanonicalizerTest {

    /** RFC 8785 Appendix B: IEEE-754 bits and the expected serialisation. */
    @ParameterizedTest
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2"
    })
    void appendixBNumbers(String hexBits, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(hexBits, 16));
        assertThat(EcmaNumber.toString(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void appendixBNonFiniteNumbersAreErrors(String hexBits) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(hexBits, 16));
        assertThatThrownBy(() -> EcmaNumber.toString(value)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Values the brief names, through the parser, so that the JSON text form is covered too. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1e21|1e+21", "1E21|1e+21", "1e20|100000000000000000000", "1e-7|1e-7", "1e-6|0.000001",
            "-0|0", "-0.0|0", "333333333.33333329|333333333.3333333", "1E30|1e+30", "4.50|4.5", "2e-3|0.002",
            "0.000000000000000000000000001|1e-27", "12|12", "-12.5|-12.5", "1764259200000|1764259200000",
            "123456789012345678901234567890|1.2345678901234568e+29", "0.1|0.1", "2.82879384806159E17|282879384806159000"
    })
    void numbersFromJsonText(String json, String expected) throws JsonProcessingException {
        assertThat(new String(JsonCanonicalizer.canonicalize(json), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    /** 1,500 doubles with node's String(value) as the reference (see the resource's header). */
    @Test
    void matchesEcmaScriptReferenceOutputs() throws Exception {
        List<String> lines;
        try (var in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("ecmascript-numbers.txt"), StandardCharsets.UTF_8))) {
            lines = in.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
        }
        assertThat(lines).hasSizeGreaterThan(1000);
        for (String line : lines) {
            String[] parts = line.split(" ");
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
            assertThat(EcmaNumber.toString(value)).as(parts[0]).isEqualTo(parts[1]);
        }
    }

    /** RFC 8785 §3.2.2 example: literals, numbers and string escaping. */
    @Test
    void rfcSection322Example() throws JsonProcessingException {
        String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        byte[] canonical = JsonCanonicalizer.canonicalize(input);
        assertThat(new String(canonical, StandardCharsets.UTF_8)).isEqualTo(expected);
        // The RFC gives the UTF-8 bytes too: the euro sign is e2 82 ac, the rest ASCII.
        assertThat(canonical).hasSize(expected.length() + 2);
    }

    /** RFC 8785 §3.2.3 example: sorting by UTF-16 code units, not by code points or UTF-8 bytes. */
    @Test
    void rfcSection323Sorting() throws JsonProcessingException {
        String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\","
                + " \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
                + " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
        String canonical = new String(JsonCanonicalizer.canonicalize(input), StandardCharsets.UTF_8);
        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 §3.2.2.2: control characters get the short escapes where they exist, else lower-case \\u00xx. */
    @Test
    void controlCharactersAndUnicodeEscapes() throws JsonProcessingException {
        String input = "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\u007f\\u2028\\/\"";
        assertThat(new String(JsonCanonicalizer.canonicalize(input), StandardCharsets.UTF_8))
                .isEqualTo("\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \u007f\u2028/\"");
    }

    @Test
    void nestedStructuresAreSortedAtEveryLevelAndWhitespaceRemoved() throws JsonProcessingException {
        String input = "{ \"b\" : [ { \"z\":1, \"a\" : [ ] } , { } ], \"a\": {\"d\": null, \"c\": \"x\"} }";
        assertThat(new String(JsonCanonicalizer.canonicalize(input), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"c\":\"x\",\"d\":null},\"b\":[{\"a\":[],\"z\":1},{}]}");
    }

    @Test
    void rejectsWhatIJsonForbids() {
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{\"a\":1,\"a\":2}"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("{\"a\":1} {}"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("[NaN]"))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("[1e400]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalize("\"\\ud800x\""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
