package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.osgi.util.converter.ConversionException;
import org.osgi.util.converter.Converters;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Issue 16.5: a {@code gateway.wms.cfg} as an operator may write it (any text, read as FileInstall reads a
 * .cfg: key = value lines, values as strings) is either accepted with settings that respect the documented
 * bounds, or refused with an {@link IllegalArgumentException} naming the key (the component keeps its
 * previous settings) or a {@link ConversionException} for a value of the wrong type (the framework refuses
 * the configuration). Nothing else may escape.
 */
class SettingsFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void anyCfgTextIsAcceptedWithinBoundsOrRefusedClearly(byte[] input) throws IOException {
        Properties cfg = new Properties();
        try {
            cfg.load(new StringReader(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1)));
        } catch (IllegalArgumentException malformedEscape) {
            return; // not a .cfg file: FileInstall refuses it before any bundle sees it
        }
        Map<String, Object> values = new HashMap<>();
        cfg.forEach((k, v) -> values.put((String) k, v));
        Settings s;
        try {
            s = Settings.from(Converters.standardConverter().convert(values).to(TransportConfig.class));
        } catch (IllegalArgumentException | ConversionException refused) {
            assertThat(refused.getMessage()).as("a refusal says why").isNotBlank();
            return;
        }
        assertThat(s.endpoints()).isNotEmpty().allSatisfy(uri -> {
            assertThat(uri.getScheme()).isEqualToIgnoringCase("https");
            assertThat(uri.getHost()).isNotEmpty();
        });
        assertThat(s.backoffMaxMs()).isGreaterThanOrEqualTo(s.backoffInitialMs());
        assertThat(s.backoffFactor()).isGreaterThanOrEqualTo(1.0);
        assertThat(s.batchMaxItems()).isBetween(1, 1000);
        assertThat(s.tokenRefreshAt()).isBetween(0.1, 0.95);
    }
}
