package site.gateway.console.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Our hashes are the ones the Felix web console 5.0.18 in the distribution accepts, and the reverse. */
class ConsolePasswordsTest {
    private static boolean felixAccepts(String configured, String candidate) throws Exception {
        Class<?> password = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> ctor = password.getDeclaredConstructor(String.class);
        ctor.setAccessible(true);
        Method matches = password.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        return (boolean) matches.invoke(ctor.newInstance(configured), (Object) candidate.getBytes(StandardCharsets.UTF_8));
    }

    private static String felixHash(String clear) throws Exception {
        Method hash = Class.forName("org.apache.felix.webconsole.internal.servlet.Password").getDeclaredMethod("hashPassword", String.class);
        hash.setAccessible(true);
        return (String) hash.invoke(null, clear);
    }

    @Test
    void felixAcceptsOurHashAndOnlyForTheRightPassword() throws Exception {
        String clear = ConsolePasswords.generate();
        String hashed = ConsolePasswords.hash(clear);
        assertThat(hashed).startsWith("{sha-256}").doesNotContain(clear);
        assertThat(felixAccepts(hashed, clear)).isTrue();
        assertThat(felixAccepts(hashed, clear + "x")).isFalse();
    }

    @Test
    void weRecogniseFelixHashesAndClearTextOfTheDefault() throws Exception {
        assertThat(ConsolePasswords.accepts(felixHash("s3cret"), "s3cret")).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault(felixHash("admin"))).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault("admin")).isTrue();
        // what the web console itself stores when no password is configured: its default, unsalted
        String unsaltedAdmin = "{sha-256}" + java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest("admin".getBytes(StandardCharsets.UTF_8)));
        assertThat(felixAccepts(unsaltedAdmin, "admin")).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault(unsaltedAdmin)).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault(null)).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault(ConsolePasswords.LOCKED)).isTrue();
        assertThat(felixAccepts(ConsolePasswords.LOCKED, "admin")).isFalse();
        assertThat(felixAccepts(ConsolePasswords.LOCKED, "")).isFalse();
        assertThat(ConsolePasswords.isMissingOrDefault(" ")).isTrue();
        assertThat(ConsolePasswords.isMissingOrDefault("an operator's choice")).isFalse();
        assertThat(ConsolePasswords.isMissingOrDefault(felixHash("an operator's choice"))).isFalse();
    }

    @Test
    void generatedPasswordsDiffer() {
        assertThat(ConsolePasswords.generate()).hasSize(24).isNotEqualTo(ConsolePasswords.generate());
    }
}
