package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.status.Severity;

/** Issue 13 point 7: a key or passphrase others can read is refused, as OpenSSH refuses such a key. */
class SecretFileProtectionTest {
    @TempDir
    Path home;

    CryptoFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new CryptoFixture(home);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aWorldReadableKeyIsRefusedWithTheFixUntilItIsChmodded() throws Exception {
        Path key = fx.certs.resolve("gateway.key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        CryptoComponent tls = fx.start();

        assertThatThrownBy(tls::sslContext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("UNPROTECTED PRIVATE KEY FILE").hasMessageContaining("0644")
                .hasMessageContaining(key.toString()).hasMessageContaining("chmod 600");
        assertThat(fx.alerts.withCode("crypto.key-unreadable")).singleElement()
                .matches(a -> a.severity() == Severity.CRITICAL);

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        tls.reload(); // a chmod changes no content: the next poll must still retry
        await().atMost(Duration.ofSeconds(10)).until(() -> tls.generation() == 1);
    }

    @Test
    void aGroupReadablePassphraseIsRefused() throws Exception {
        Path pass = fx.certs.resolve("gateway.pass");
        Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r-----"));
        CryptoComponent tls = fx.start();

        assertThatThrownBy(tls::sslContext).hasMessageContaining("UNPROTECTED KEY PASSPHRASE FILE")
                .hasMessageContaining("0640").hasMessageContaining(pass.toString());
    }

    @Test
    void ownerOnlyFilesLoad() {
        CryptoComponent tls = fx.start();
        assertThat(tls.sslContext()).isNotNull();
    }

    @Test
    void aKeyOwnedBySomeoneElseIsRefused() throws Exception {
        PrivateFiles asAnotherUser = new PrivateFiles("someone-else");
        assertThatThrownBy(() -> asAnotherUser.check(fx.certs.resolve("gateway.key"), "private key"))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not by the user the gateway runs as")
                .hasMessageContaining("chown someone-else");
    }

    @Test
    void developmentModeWithoutTheJvmFlagIsRefusedWithACriticalAlert() {
        assertThatThrownBy(() -> fx.start(Map.of("developmentMode", true)))
                .isInstanceOf(org.osgi.service.component.ComponentException.class)
                .hasMessageContaining("gateway.allowDevelopmentMode");

        assertThat(fx.alerts.withCode("crypto.development-mode-refused")).singleElement()
                .matches(a -> a.severity() == Severity.CRITICAL);
        assertThat(fx.audit.withAction("config.rejected")).singleElement()
                .matches(e -> String.valueOf(e.details().get("reason")).contains("developmentMode"));
    }

    @Test
    void developmentModeSwitchedOnLaterKeepsTheValidatingContext() {
        CryptoComponent tls = fx.start();
        assertThat(tls.generation()).isEqualTo(1);

        tls.configure(CryptoFixture.config(Map.of("developmentMode", true)));

        assertThat(tls.developmentMode()).isFalse();
        assertThat(tls.generation()).isEqualTo(1);
    }
}
