package site.gateway.commands;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import site.gateway.support.config.Require;

/** A validated {@link CommandsConfig}. */
record Settings(Set<String> configAllowList, int queueCapacity, Duration commandTimeout, Duration clockSkew,
        Duration maxLifetime, Path replayCacheDirectory) {

    /**
     * Validates a configuration. FileInstall gives a list as one string, so commas separate entries too.
     *
     * @throws IllegalArgumentException with a message naming the bad setting
     */
    static Settings of(CommandsConfig config) {
        Require.atLeast("queueCapacity", config.queueCapacity(), 1);
        Require.atLeast("commandTimeoutMs", config.commandTimeoutMs(), 1);
        Require.notNegative("clockSkewSeconds", config.clockSkewSeconds());
        Require.atLeast("maxLifetimeSeconds", config.maxLifetimeSeconds(), 1);
        String dir = Require.notBlank("replayCacheDirectory", config.replayCacheDirectory());
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
