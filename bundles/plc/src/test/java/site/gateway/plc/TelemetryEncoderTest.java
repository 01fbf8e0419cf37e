package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;

class TelemetryEncoderTest {
    private final TelemetryEncoder encoder = new TelemetryEncoder();

    @Test
    void everyReadingCarriesAValueOfAKindTheProtocolAllows() throws Exception {
        JsonNode first = readings(encoder.encode("t", "g", "p", 1, List.of(
                new TagValue("speed", 1.5, Quality.GOOD, 1),
                new TagValue("noise", Double.NaN, Quality.GOOD, 1),
                new TagValue("never", null, Quality.BAD, 1))));

        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("tag").asText()).isEqualTo("speed");
        assertThat(first.get(0).get("value").asDouble()).isEqualTo(1.5);
    }

    @Test
    void aBadReadingCarriesTheLastGoodValueAndSaysBad() throws Exception {
        encoder.encode("t", "g", "p", 1, List.of(new TagValue("speed", 1.5, Quality.GOOD, 1)));

        TelemetryEncoder.Encoded stale = encoder.encode("t", "g", "p", 2, List.of(
                new TagValue("speed", null, Quality.BAD, 2),
                new TagValue("other", Double.POSITIVE_INFINITY, Quality.GOOD, 2)));

        JsonNode readings = readings(stale);
        assertThat(readings).hasSize(1);
        assertThat(readings.get(0).get("value").asDouble()).isEqualTo(1.5);
        assertThat(readings.get(0).get("quality").asText()).isEqualTo("bad");
        assertThat(stale.unsendable()).containsExactly("other");
    }

    @Test
    void nothingToSendGivesNoMessage() {
        TelemetryEncoder.Encoded none = encoder.encode("t", "g", "p", 1, List.of(new TagValue("x", null, Quality.BAD, 1)));

        assertThat(none.message()).isNull();
        assertThat(none.unsendable()).containsExactly("x");
    }

    private static JsonNode readings(TelemetryEncoder.Encoded encoded) throws Exception {
        return new ObjectMapper().readTree(encoded.message()).get("readings");
    }
}
