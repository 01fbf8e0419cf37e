package site.gateway.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Framework properties from {@code etc/framework.properties}, with {@code ${gateway.home}} and
 * {@code ${gateway.distribution}} replaced. System properties given on the command line win, so
 * an operator can override any of them with {@code -Dkey=value} in GATEWAY_OPTS.
 */
final class FrameworkProperties {
    private FrameworkProperties() {
    }

    static Map<String, String> load(Path distribution, Path home) throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(distribution.resolve("etc/framework.properties"))) {
            file.load(in);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) {
            String value = System.getProperty(key, file.getProperty(key));
            result.put(key, value
                    .replace("${gateway.home}", home.toString())
                    .replace("${gateway.distribution}", distribution.toString()));
        }
        return result;
    }
}
