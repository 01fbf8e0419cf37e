package site.gateway.ctl;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * Where the gateway lives: the distribution (bin/ lib/ system/ deploy/ defaults) and the home (conf/
 * deploy/ certs/ data/ logs/). bin/gateway-ctl passes both as system properties, as bin/gateway does.
 */
record Home(Path distribution, Path home) {

    static Home from(Options options) {
        Path distribution = Paths.get(System.getProperty("gateway.distribution", ".")).toAbsolutePath().normalize();
        String configured = options.get("home", System.getProperty("gateway.home"));
        Path home = configured == null || configured.isBlank() ? distribution : Paths.get(configured).toAbsolutePath().normalize();
        return new Home(distribution, home);
    }

    Path conf() {
        return home.resolve("conf");
    }

    /** A path as the gateway resolves a relative path of a .cfg file: against the home. */
    Path resolve(String path) {
        Path p = Paths.get(path.trim());
        return p.isAbsolute() ? p : home.resolve(p).normalize();
    }

    /** The value of {@code key} in {@code conf/<pid>.cfg}, or {@code fallback} when the file or key is absent. */
    String cfg(String pid, String key, String fallback) {
        Path file = conf().resolve(pid + ".cfg");
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        try {
            Properties p = load(file);
            String value = p.getProperty(key);
            return value == null || value.isBlank() ? fallback : value.trim();
        } catch (IOException e) {
            return fallback;
        }
    }

    static Properties load(Path cfg) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(cfg, StandardCharsets.ISO_8859_1)) {
            p.load(reader);
        }
        return p;
    }
}
