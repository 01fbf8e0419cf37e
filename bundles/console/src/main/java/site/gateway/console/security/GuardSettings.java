package site.gateway.console.security;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import site.gateway.support.config.Require;

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
        return new GuardSettings(hosts, Require.atLeast("maxFailedLogins", config.maxFailedLogins(), 1),
                Require.atLeast("failureWindowSeconds", config.failureWindowSeconds(), 1),
                Require.atLeast("lockoutSeconds", config.lockoutSeconds(), 1),
                new MonitoringAccess.Credentials(config.monitoringUser(), config.monitoringPassword()));
    }
}
