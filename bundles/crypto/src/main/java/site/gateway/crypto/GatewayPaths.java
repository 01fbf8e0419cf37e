package site.gateway.crypto;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Resolves configured paths: absolute as given, relative against the gateway home. */
public final class GatewayPaths {
    private final Path home;

    public GatewayPaths(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** The home from system property {@code gateway.home}, else the working directory. */
    public static GatewayPaths fromSystem() {
        String home = System.getProperty("gateway.home");
        return new GatewayPaths(Paths.get(home == null || home.isBlank() ? "" : home));
    }

    public Path resolve(String value) {
        Path p = Paths.get(value.trim());
        return p.isAbsolute() ? p.normalize() : home.resolve(p).normalize();
    }

    public Path home() {
        return home;
    }
}
