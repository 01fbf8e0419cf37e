package site.gateway.console.security;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@link ConsoleSecurityConfig} checked: the host names allowed, the failed-login limits and the monitoring user. */
record GuardSettings(Set<String> allowedHosts, int maxFailedLogins, int failureWindowSeconds, int lockoutSeconds,
        MonitoringAccess.Credentials monitoringUser) {

    /**
     * @throws IllegalArgumentException naming the bad setting (a limit below 1 would disable the lockout)
     */
    static GuardSettings from(ConsoleSecurityConfig config) {
        Set<String> hosts = Stream.concat(Stream.of("localhost"), Stream.of(config.allowedHosts())
                .flatMap(s -> Stream.of(s.split(","))).map(String::trim).filter(s -> !s.isEmpty()))
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        return new GuardSettings(hosts, atLeastOne("maxFailedLogins", config.maxFailedLogins()),
                atLeastOne("failureWindowSeconds", config.failureWindowSeconds()),
                atLeastOne("lockoutSeconds", config.lockoutSeconds()),
                new MonitoringAccess.Credentials(config.monitoringUser(), config.monitoringPassword()));
    }

    private static int atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
        return value;
    }
}
