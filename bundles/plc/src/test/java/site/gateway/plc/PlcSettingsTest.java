package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;

class PlcSettingsTest {

    private static PlcSettings parse(Object... keyValues) {
        Map<String, Object> map = TestPlc.config("plcId", "plc-1", "connection", "modbus-tcp://10.0.0.5:502",
                "tags", "conveyor1.speed=holding-register:1:INT, conveyor1.on=coil:3");
        map.putAll(TestPlc.config(keyValues));
        return PlcSettings.parse(TestPlc.convert(map), map);
    }

    @Test
    void parsesTagsDriverCodeAndPerTagSettingsFromFileInstallStrings() {
        PlcSettings s = parse("pollIntervalMs", "250", "deadband.conveyor1.speed", "0.5", "reportOnChange.conveyor1.on", "true");
        assertThat(s.driverCode()).isEqualTo("modbus-tcp");
        assertThat(s.pollIntervalMs()).isEqualTo(250);
        assertThat(s.tags().keySet()).containsExactly("conveyor1.speed", "conveyor1.on");
        assertThat(s.tags().get("conveyor1.speed")).isEqualTo(new TagSpec("conveyor1.speed", "holding-register:1:INT", 0.5, true));
        assertThat(s.tags().get("conveyor1.on").reportOnChange()).isTrue();
        assertThat(parse("connection", "modbus-tcp:tcp://h:502").driverCode()).isEqualTo("modbus-tcp");
        assertThat(s.subscribe()).as("polling by default").isFalse();
        assertThat(parse("acquisition", " Subscribe ").subscribe()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plcId|bad id!|plcId must match",
        "connection|10.0.0.5:502|connection must be a PLC4X connection string",
        "pollIntervalMs|5|pollIntervalMs must be between 10",
        "tags|speed|is not name=address",
        "tags|a=coil:1,a=coil:2|configured twice",
        "deadband.conveyor1.speed|fast|must be a number",
        "deadband.unknown|1|settings for tags that are not configured",
        "backoffFactor|0.5|backoffFactor must be between 1 and 10",
        "acquisition|push|acquisition must be poll or subscribe",
    })
    void rejectsInvalidSettingsWithAClearMessage(String key, String value, String message) {
        assertThatThrownBy(() -> parse(key, value)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void changeFilterSendsOnlyChangesBeyondTheDeadbandAndEveryQualityChange() {
        ChangeFilter filter = new ChangeFilter();
        TagSpec spec = new TagSpec("t", "x", 0.5, true);
        assertThat(accept(filter, spec, new TagValue("t", 10.0, Quality.GOOD, 1))).isTrue();
        assertThat(accept(filter, spec, new TagValue("t", 10.4, Quality.GOOD, 2))).isFalse();
        assertThat(accept(filter, spec, new TagValue("t", 10.49, Quality.GOOD, 3))).isFalse();
        assertThat(accept(filter, spec, new TagValue("t", 10.5, Quality.GOOD, 4))).isTrue();
        assertThat(accept(filter, spec, new TagValue("t", null, Quality.BAD, 5))).isTrue();
        assertThat(accept(filter, spec, new TagValue("t", 10.5, Quality.GOOD, 6))).isTrue();
        TagSpec always = new TagSpec("u", "y", 0, false);
        assertThat(accept(filter, always, new TagValue("u", 1, Quality.GOOD, 1))).isTrue();
        assertThat(accept(filter, always, new TagValue("u", 1, Quality.GOOD, 2))).isTrue();
    }

    /** As the engine does when the buffer takes the reading. */
    private static boolean accept(ChangeFilter filter, TagSpec spec, TagValue reading) {
        boolean wanted = filter.wants(spec, reading);
        if (wanted) {
            filter.sent(spec, reading);
        }
        return wanted;
    }

    @Test
    void aChangeTheBufferRefusedIsStillAChange() {
        ChangeFilter filter = new ChangeFilter();
        TagSpec spec = new TagSpec("t", "x", 0, true);
        assertThat(accept(filter, spec, new TagValue("t", 1, Quality.GOOD, 1))).isTrue();
        assertThat(filter.wants(spec, new TagValue("t", 2, Quality.GOOD, 2))).isTrue(); // refused: not sent()
        assertThat(filter.wants(spec, new TagValue("t", 2, Quality.GOOD, 3))).as("offered again").isTrue();
    }

    @Test
    void backoffGrowsToItsMaximumAndResets() {
        Backoff backoff = new Backoff(new Backoff.Policy(100, 1000, 2.0));
        assertThat(new long[] {backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs(),
            backoff.nextDelayMs()}).containsExactly(100, 200, 400, 800, 1000);
        backoff.reset();
        assertThat(backoff.nextDelayMs()).isEqualTo(100);
    }
}
