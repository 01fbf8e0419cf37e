package site.gateway.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;
import org.osgi.util.converter.Converters;

/** Issue 13 point 1: Host/Origin checks and cross-site request protection (the browser test is ConsoleSecurityIT). */
class ConsoleRequestGuardTest {
    final ConsoleRequestGuard guard = new ConsoleRequestGuard(Converters.standardConverter()
            .convert(Map.of("allowedHosts", "gateway-07.site.example")).to(ConsoleSecurityConfig.class), () -> 0L);

    @Test
    void hostsMustBeLocalhostAnIpOrConfigured() {
        assertThat(guard.refusal("GET", "127.0.0.1:8080", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "localhost:8080", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "[::1]:8080", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "10.1.2.3", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "Gateway-07.site.example:8080", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "attacker.example:8080", null, null, null)).contains("is not an address of this console");
        assertThat(guard.refusal("GET", null, null, null, null)).isNotNull();
    }

    @Test
    void stateChangingRequestsMustComeFromTheConsoleItself() {
        assertThat(guard.refusal("POST", "127.0.0.1:8080", "http://127.0.0.1:8080", null, null)).isNull();
        assertThat(guard.refusal("POST", "127.0.0.1:8080", null, "http://127.0.0.1:8080/system/console/bundles", null)).isNull();
        assertThat(guard.refusal("POST", "127.0.0.1:8080", null, null, "XMLHttpRequest")).isNull();
        assertThat(guard.refusal("POST", "127.0.0.1:8080", "http://attacker.example", null, null)).contains("cross-site POST");
        assertThat(guard.refusal("POST", "127.0.0.1:8080", "http://127.0.0.1:9999", null, null))
                .as("another port is another origin").contains("cross-site POST");
        assertThat(guard.refusal("POST", "localhost", "http://localhost", null, null)).isNull();
        assertThat(guard.refusal("POST", "127.0.0.1:8080", "null", null, null)).contains("cross-site POST");
        assertThat(guard.refusal("DELETE", "127.0.0.1:8080", null, "https://attacker.example/x", null)).contains("cross-site DELETE");
        assertThat(guard.refusal("POST", "127.0.0.1:8080", null, null, null)).contains("X-Requested-With");
    }

    @Test
    void adminAdminIsRecognisedForAnyUser() {
        assertThat(ConsoleRequestGuard.isDefaultCredentials(basic("admin", "admin"))).isTrue();
        assertThat(ConsoleRequestGuard.isDefaultCredentials(basic("admin", "Admin-not"))).isFalse();
        assertThat(ConsoleRequestGuard.isDefaultCredentials("Basic ###")).isFalse();
    }

    @Test
    void anAddressIsLockedOutAfterTooManyFailuresAndForgivenAfterTheLockout() {
        LoginThrottle throttle = new LoginThrottle(3, 60_000, 300_000);
        assertThat(throttle.failed("10.0.0.9", 0)).isFalse();
        assertThat(throttle.failed("10.0.0.9", 1)).isFalse();
        assertThat(throttle.failed("10.0.0.9", 2)).isTrue();
        assertThat(throttle.lockedOut("10.0.0.9", 3)).isTrue();
        assertThat(throttle.lockedOut("10.0.0.10", 3)).isFalse();
        assertThat(throttle.lockedOut("10.0.0.9", 300_003)).isFalse();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLimitBelowOneIsRefusedNotClamped() {
        assertThatThrownBy(() -> new ConsoleRequestGuard(config(Map.of("lockoutSeconds", 0)), () -> 0L))
                .isInstanceOf(ComponentException.class).hasMessageContaining("lockoutSeconds must be at least 1");

        guard.configure(config(Map.of("maxFailedLogins", 0)));
        assertThat(guard.refusal("GET", "gateway-07.site.example", null, null, null))
                .as("the last good configuration stays in force").isNull();
    }

    private static ConsoleSecurityConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(ConsoleSecurityConfig.class);
    }
}
