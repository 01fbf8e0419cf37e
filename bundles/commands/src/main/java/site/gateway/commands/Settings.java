package site.gateway.commands;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** A validated {@link CommandsConfig}. */
record Settings(Set<String> configAllowList, int queueCapacity, Duration commandTimeout, Duration clockSkew,
        Duration maxLifetime, Path replayCacheDirectory) {

    /**
     * Validates a configuration. FileInstall gives a list as one string, so commas separate entries too.
     *
     * @throws IllegalArgumentException with a message naming the bad setting
     */
    static Settings of(CommandsConfig config) {
        if (config.queueCapacity() < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + config.queueCapacity());
        }
        if (config.commandTimeoutMs() < 1) {
            throw new IllegalArgumentException("commandTimeoutMs must be at least 1, got " + config.commandTimeoutMs());
        }
        if (config.clockSkewSeconds() < 0) {
            throw new IllegalArgumentException("clockSkewSeconds must not be negative, got " + config.clockSkewSeconds());
        }
        if (config.maxLifetimeSeconds() < 1) {
            throw new IllegalArgumentException("maxLifetimeSeconds must be at least 1, got " + config.maxLifetimeSeconds());
        }
        String dir = config.replayCacheDirectory();
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("replayCacheDirectory must not be empty");
        }
        String[] allow = config.configAllowList() == null ? new String[0] : config.configAllowList();
        return new Settings(
                Arrays.stream(allow).flatMap(s -> Arrays.stream(s.split(","))).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet()),
                config.queueCapacity(), Duration.ofMillis(config.commandTimeoutMs()),
                Duration.ofSeconds(config.clockSkewSeconds()), Duration.ofSeconds(config.maxLifetimeSeconds()),
                resolve(dir));
    }

    /** Absolute as given, else relative to the system property {@code gateway.home} (the working directory if unset). */
    private static Path resolve(String value) {
        Path path = Paths.get(value.trim());
        if (path.isAbsolute()) {
            return path.normalize();
        }
        String home = System.getProperty("gateway.home");
        Path base = Paths.get(home == null || home.isBlank() ? "" : home);
        return base.resolve(path).toAbsolutePath().normalize();
    }

    /** How long an accepted commandId must stay in the replay cache (§3.6). */
    Duration replayRetention() {
        return maxLifetime.plus(clockSkew);
    }
}
