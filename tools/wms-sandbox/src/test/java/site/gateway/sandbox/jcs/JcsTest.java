package site.gateway.sandbox.jcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JcsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static double fromHex(String hex) {
        return Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(hex));
    }

    /** RFC 8785 Appendix B. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0000000000000000|0",
            "8000000000000000|0",
            "0000000000000001|5e-324",
            "8000000000000001|-5e-324",
            "7fefffffffffffff|1.7976931348623157e+308",
            "ffefffffffffffff|-1.7976931348623157e+308",
            "4340000000000000|9007199254740992",
            "c340000000000000|-9007199254740992",
            "4430000000000000|295147905179352830000",
            "44b52d02c7e14af5|9.999999999999997e+22",
            "44b52d02c7e14af6|1e+23",
            "44b52d02c7e14af7|1.0000000000000001e+23",
            "444b1ae4d6e2ef4e|999999999999999700000",
            "444b1ae4d6e2ef4f|999999999999999900000",
            "444b1ae4d6e2ef50|1e+21",
            "3eb0c6f7a0b5ed8c|9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d|0.000001",
            "41b3de4355555553|333333333.3333332",
            "41b3de4355555554|333333333.33333325",
            "41b3de4355555555|333333333.3333333",
            "41b3de4355555556|333333333.3333334",
            "41b3de4355555557|333333333.33333343",
            "becbf647612f3696|-0.0000033333333333333333",
            "43143ff3c1cb0959|1424953923781206.2",
    })
    void rfc8785AppendixBNumbers(String hex, String expected) {
        assertThat(Jcs.serializeNumber(fromHex(hex))).isEqualTo(expected);
    }

    @Test
    void nanAndInfinityAreRejected() {
        assertThatThrownBy(() -> Jcs.serializeNumber(fromHex("7fffffffffffffff"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Jcs.serializeNumber(fromHex("7ff0000000000000"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** 4,000 doubles (random bit patterns and decimals) against Node.js's Number.prototype.toString. */
    @Test
    void matchesEcmaScriptOnGeneratedNumbers() throws Exception {
        int checked = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/ecmascript-numbers.txt"), StandardCharsets.US_ASCII))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                assertThat(Jcs.serializeNumber(fromHex(parts[0]))).as(parts[0]).isEqualTo(parts[1]);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3900);
    }

    /** Java 17's Double.toString gives "2.0E-3" and non-shortest forms; ECMAScript does not. */
    @Test
    void simpleNumbers() {
        assertThat(Jcs.serializeNumber(0.002)).isEqualTo("0.002");
        assertThat(Jcs.serializeNumber(1e21)).isEqualTo("1e+21");
        assertThat(Jcs.serializeNumber(1e20)).isEqualTo("100000000000000000000");
        assertThat(Jcs.serializeNumber(12)).isEqualTo("12");
        assertThat(Jcs.serializeNumber(-1.5)).isEqualTo("-1.5");
        assertThat(Jcs.serializeNumber(1e-7)).isEqualTo("1e-7");
        assertThat(Jcs.serializeNumber(2.82879384806159E17)).isEqualTo("282879384806159000");
        assertThat(Jcs.serializeNumber(1.0E23)).isEqualTo("1e+23");
    }

    /** RFC 8785 §3.2.2 example (values). */
    @Test
    void rfc8785ValuesExample() throws Exception {
        String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertThat(Jcs.canonicalize(MAPPER.readTree(input))).isEqualTo(expected);
    }

    /** RFC 8785 §3.2.3 example: sorting by UTF-16 code units. */
    @Test
    void rfc8785SortingExample() throws Exception {
        String input = "{\n  \"\\u20ac\": \"Euro Sign\",\n  \"\\r\": \"Carriage Return\",\n"
                + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"1\": \"One\",\n"
                + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n  \"\\u0080\": \"Control\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertThat(Jcs.canonicalize(MAPPER.readTree(input))).isEqualTo(expected);
        // The UTF-8 bytes are what gets signed: the emoji is one 4-byte sequence.
        assertThat(Jcs.canonicalizeToUtf8(MAPPER.readTree("{\"a\":\"\\ud83d\\ude00\"}")))
                .containsExactly('{', '"', 'a', '"', ':', '"', 0xF0 - 256, 0x9F - 256, 0x98 - 256, 0x80 - 256, '"', '}');
    }

    @Test
    void nestedStructuresAndEscapes() throws Exception {
        String input = "{ \"b\" : [ 1.0, {\"z\":1,\"a\":\"\\u001f\\t\\b\\f\"} ], \"a\": -0.0, \"c\": 1e2 }";
        assertThat(Jcs.canonicalize(MAPPER.readTree(input)))
                .isEqualTo("{\"a\":0,\"b\":[1,{\"a\":\"\\u001f\\t\\b\\f\",\"z\":1}],\"c\":100}");
    }

    @Test
    void loneSurrogatesAreRejected() {
        assertThatThrownBy(() -> Jcs.canonicalize(MAPPER.createObjectNode().put("a", "\ud83d")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
