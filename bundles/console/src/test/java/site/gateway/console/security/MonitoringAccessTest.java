package site.gateway.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import site.gateway.console.security.MonitoringAccess.Credentials;

/** Issue 14: /system/health and /metrics need the console's or the monitoring user's credentials. */
class MonitoringAccessTest {
    private final Credentials console = new Credentials("admin", ConsolePasswords.hash("console-secret"));
    private final Credentials prometheus = new Credentials("prometheus", ConsolePasswords.hash("scrape-secret"));

    @Test
    void eitherUserWithItsOwnPasswordGetsIn() {
        assertThat(MonitoringAccess.accepts(basic("admin", "console-secret"), console, prometheus)).isTrue();
        assertThat(MonitoringAccess.accepts(basic("prometheus", "scrape-secret"), console, prometheus)).isTrue();
        assertThat(MonitoringAccess.accepts(basic("prometheus", "console-secret"), console, prometheus)).isFalse();
        assertThat(MonitoringAccess.accepts(basic("admin", "scrape-secret"), console, prometheus)).isFalse();
        assertThat(MonitoringAccess.accepts(null, console, prometheus)).isFalse();
        assertThat(MonitoringAccess.accepts("Bearer x", console, prometheus)).isFalse();
    }

    @Test
    void anUnsetOrDefaultPasswordNeverLetsAnyoneIn() {
        assertThat(MonitoringAccess.accepts(basic("", ""), console, new Credentials("", ""))).isFalse();
        assertThat(MonitoringAccess.accepts(basic("prometheus", "admin"), console, new Credentials("prometheus", "admin"))).isFalse();
        assertThat(MonitoringAccess.accepts(basic("admin", "admin"), null, null)).isFalse();
        assertThat(MonitoringAccess.accepts(basic("admin", "x"), new Credentials("admin", ConsolePasswords.LOCKED), null)).isFalse();
    }

    @Test
    void onlyTheMonitoringPathsAreConcerned() {
        assertThat(MonitoringAccess.isMonitoringPath("/metrics")).isTrue();
        assertThat(MonitoringAccess.isMonitoringPath("/system/health")).isTrue();
        assertThat(MonitoringAccess.isMonitoringPath("/system/health.json")).isTrue();
        assertThat(MonitoringAccess.isMonitoringPath("/system/health/gateway.json")).isTrue();
        assertThat(MonitoringAccess.isMonitoringPath("/system/healthy")).isFalse();
        assertThat(MonitoringAccess.isMonitoringPath("/metricsx")).isFalse();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
