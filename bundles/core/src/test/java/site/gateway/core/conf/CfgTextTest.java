package site.gateway.core.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class CfgTextTest {
    private static final String FILE = """
            # WMS transport (gateway.wms)
            # Comma-separated HTTPS base URLs, highest priority first.
            endpoints = https://wms-a.example:8443

            # Upper bound of the first reconnection delay.
            #backoffInitialMs = 500
            backoffMaxMs = 10000
            home = ${gateway.home}/data
            """;

    @Test
    void aFileThatAlreadySaysItIsLeftAsItIs() {
        Map<String, String> same = values("endpoints", "https://wms-a.example:8443", "backoffMaxMs", "10000",
                "home", "/opt/gateway/data");
        assertThat(CfgText.merge(FILE, same)).isEqualTo(FILE);
    }

    @Test
    void aChangedValueIsRewrittenInPlaceAndCommentsAndOrderStay() {
        String merged = CfgText.merge(FILE, values("endpoints", "https://wms-b.example:8443,https://wms-a.example:8443",
                "backoffMaxMs", "10000", "home", "/opt/gateway/data"));

        assertThat(merged).isEqualTo(FILE.replace("endpoints = https://wms-a.example:8443",
                "endpoints = https\\://wms-b.example\\:8443,https\\://wms-a.example\\:8443"));
        assertThat(load(merged).getProperty("endpoints")).isEqualTo("https://wms-b.example:8443,https://wms-a.example:8443");
    }

    @Test
    void aRemovedKeyLeavesTheFileANewKeyIsAppendedAndSubstitutionsStay() {
        String merged = CfgText.merge(FILE, values("endpoints", "https://wms-a.example:8443", "home", "/elsewhere",
                "batchMaxItems", "500"));

        Properties p = load(merged);
        assertThat(p.getProperty("backoffMaxMs")).as("removed from the configuration").isNull();
        assertThat(p.getProperty("batchMaxItems")).isEqualTo("500");
        assertThat(merged).contains("home = ${gateway.home}/data").contains("#backoffInitialMs = 500")
                .endsWith("batchMaxItems = 500\n");
    }

    @Test
    void aNewKeyTakesThePlaceOfItsCommentedOutDefault() {
        String merged = CfgText.merge(FILE, values("endpoints", "https://wms-a.example:8443", "backoffMaxMs", "10000",
                "home", "x", "backoffInitialMs", "250"));

        assertThat(merged).isEqualTo(FILE.replace("#backoffInitialMs = 500", "backoffInitialMs = 250"));
    }

    @Test
    void valuesAreEscapedSoThatTheyReadBackExactly() {
        String tricky = "a = b\\c #d\nnext line, \u00e9t\u00e9 \u2603";
        String merged = CfgText.merge("", values("tags", tricky, "  spaced key", " leading space"));

        Properties p = load(merged);
        assertThat(p.getProperty("tags")).isEqualTo(tricky);
        assertThat(p.getProperty("  spaced key")).isEqualTo(" leading space");
        assertThat(merged.chars().allMatch(c -> c < 128)).as("ASCII only: the file is read as ISO-8859-1").isTrue();
    }

    @Test
    void continuationLinesAreOneEntry() {
        String file = "tags = a=coil:1, \\\n       b=coil:2\nother = x\n";
        assertThat(CfgText.merge(file, values("tags", "a=coil:1, b=coil:2", "other", "x"))).isEqualTo(file);
        assertThat(CfgText.merge(file, values("other", "x"))).isEqualTo("other = x\n");
    }

    private static Map<String, String> values(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Properties load(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return p;
    }
}
