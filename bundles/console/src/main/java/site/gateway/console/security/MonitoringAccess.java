package site.gateway.console.security;

import java.nio.charset.StandardCharsets;

import site.gateway.support.http.BasicCredentials;

/**
 * Who may read {@code /system/health} and {@code /metrics}: the console's own user (the same password as
 * the console, from its configuration) or the separate monitoring user of {@code gateway.console}, so a
 * Prometheus server or a Zabbix agent need not hold the console's password (which can install bundles).
 * Both take the console's password forms ({@link ConsolePasswords}: hashed {@code {sha-256}...} or clear).
 */
final class MonitoringAccess {
    /** The paths this guards besides the console. */
    static final String HEALTH_PATH = "/system/health";
    static final String METRICS_PATH = "/metrics";

    private MonitoringAccess() {
    }

    static boolean isMonitoringPath(String uri) {
        return uri.equals(METRICS_PATH) || uri.equals(HEALTH_PATH) || uri.startsWith(HEALTH_PATH + "/")
                || uri.startsWith(HEALTH_PATH + ".");
    }

    /**
     * True when the Basic credentials name one of the two users with its password. A user whose password is
     * missing or the refused default never gets in (the console's own guard replaces it at start).
     */
    static boolean accepts(String authorization, Credentials console, Credentials monitoring) {
        BasicCredentials given = BasicCredentials.of(authorization);
        if (given == null || given.password() == null) {
            return false;
        }
        return matches(given, console) || matches(given, monitoring);
    }

    private static boolean matches(BasicCredentials given, Credentials wanted) {
        return wanted != null && wanted.user() != null && !wanted.user().isBlank() && wanted.user().equals(given.user())
                && !ConsolePasswords.isMissingOrDefault(wanted.password()) && ConsolePasswords.accepts(wanted.password().trim(), given.password());
    }

    /** SHA-256 of the header, hex: what may be remembered of an accepted login (not the password itself). */
    static String digest(String authorization) {
        if (authorization == null) {
            return null;
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A user name and its configured password (hashed or clear), as configured now. */
    record Credentials(String user, String password) {
    }
}
