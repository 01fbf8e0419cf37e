package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandKeyFilesTest {
    @TempDir
    Path home;

    CryptoComponent keys = component(Path.of("/nonexistent"));

    @AfterEach
    void tearDown() {
        keys.deactivate();
    }

    /** The crypto component over {@code home}; its TLS part finds no files there, which is beside the point. */
    static CryptoComponent component(Path home) {
        return new CryptoComponent(new GatewayPaths(home), Clock.systemUTC(), System::getenv, false);
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static void writePublic(Path file, KeyPair pair) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestPki.CODEC.pem(new PemObject("PUBLIC KEY", pair.getPublic().getEncoded())));
    }

    @Test
    void folderOfKeysByKidVerifiesSignaturesAndFollowsChanges() throws Exception {
        KeyCheck check = new KeyCheck();
        KeyPair first = ed25519();
        Path folder = home.resolve("certs/command-keys");
        writePublic(folder.resolve("wms-2026.pem"), first);
        Files.writeString(folder.resolve("broken.pem"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        keys = component(home);
        keys.configure(CryptoFixture.config(Map.of()));

        assertThat(keys.kids()).containsExactly("wms-2026");
        assertThat(check.verifies(keys.key("wms-2026").orElseThrow(), first)).isTrue();
        assertThat(keys.key("unknown")).isEmpty();

        KeyPair second = ed25519();
        writePublic(folder.resolve("wms-2027.pem"), second);
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.key("wms-2027").isPresent());
        assertThat(check.verifies(keys.key("wms-2027").orElseThrow(), second)).isTrue();
        assertThat(check.verifies(keys.key("wms-2027").orElseThrow(), first)).isFalse();

        Files.delete(folder.resolve("wms-2026.pem"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.key("wms-2026").isEmpty());
    }

    @Test
    void commaSeparatedFilesAndNonEd25519KeysRefused() throws Exception {
        KeyPair ed = ed25519();
        writePublic(home.resolve("a/k1.pem"), ed);
        KeyPair ec = TestPki.ecKeys();
        writePublic(home.resolve("b/ec.pem"), ec);
        keys = component(home);
        keys.configure(CryptoFixture.config(Map.of("commandKeys", "a/k1.pem, b/ec.pem")));
        assertThat(keys.kids()).containsExactly("k1");
        assertThat(new KeyCheck().verifies(keys.key("k1").orElseThrow(), ed)).isTrue();
    }

    /** Signs with the private half and verifies with the loaded key, using the JDK provider. */
    static final class KeyCheck {
        boolean verifies(PublicKey loaded, KeyPair pair) throws Exception {
            byte[] data = "{\"commandId\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(data);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(loaded);
            v.update(data);
            return v.verify(sig);
        }
    }
}
