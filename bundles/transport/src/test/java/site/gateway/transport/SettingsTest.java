package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class SettingsTest {

    static TransportConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(TransportConfig.class);
    }

    @Test
    void defaultsFollowTheProtocol() {
        Settings s = Settings.from(config(Map.of()));
        assertThat(s.backoffInitialMs()).isEqualTo(500);
        assertThat(s.backoffFactor()).isEqualTo(2.0);
        assertThat(s.backoffMaxMs()).isEqualTo(10_000);
        assertThat(s.healthCheckIntervalMs()).isEqualTo(30_000);
        assertThat(s.batchMaxItems()).isEqualTo(1000);
        assertThat(s.tokenRefreshAt()).isEqualTo(0.8);
        assertThat(s.httpFallback()).isTrue();
        assertThat(s.gzipMinBytes()).isEqualTo(1024);
        assertThat(s.retryAfterMaxMs()).as("§2: every Retry-After honoured").isEqualTo(Settings.RETRY_AFTER_MAX_BOUND_MS);
    }

    @Test
    void endpointsAreParsedInOrderFromStrings() {
        Map<String, Object> values = new HashMap<>();
        values.put("endpoints", " https://wms-a.example:8443/ , https://wms-b.example:8443,https://wms-a.example:8443");
        values.put("batchMaxItems", "250"); // FileInstall delivers strings
        Settings s = Settings.from(config(values));
        assertThat(s.endpoints()).containsExactly(URI.create("https://wms-a.example:8443"), URI.create("https://wms-b.example:8443"));
        assertThat(s.batchMaxItems()).isEqualTo(250);
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Settings.from(config(Map.of("endpoints", "http://plain.example"))))
                .hasMessageContaining("endpoints");
        assertThatThrownBy(() -> Settings.from(config(Map.of("endpoints", " , "))))
                .hasMessageContaining("endpoints");
        assertThatThrownBy(() -> Settings.from(config(Map.of("batchMaxItems", 1001))))
                .hasMessageContaining("batchMaxItems");
        assertThatThrownBy(() -> Settings.from(config(Map.of("backoffMaxMs", 100))))
                .hasMessageContaining("backoffMaxMs");
        assertThatThrownBy(() -> Settings.from(config(Map.of("tokenRefreshAt", 1.5))))
                .hasMessageContaining("tokenRefreshAt");
        assertThatThrownBy(() -> Settings.from(config(Map.of("gzipMinBytes", -1))))
                .hasMessageContaining("gzipMinBytes");
    }
}
