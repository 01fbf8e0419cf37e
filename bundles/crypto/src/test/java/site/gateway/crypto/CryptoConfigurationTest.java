package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.crypto.CsrSubmitter;

/** Issue 17.3: {@code gateway.crypto} is validated once for the TLS context, the command keys and rotation. */
class CryptoConfigurationTest {
    @TempDir
    Path home;

    CryptoFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void anInvalidChangeIsRejectedOnce_andEveryPartKeepsTheLastGoodSettings() throws Exception {
        fx = new CryptoFixture(home);
        Instant now = Instant.now();
        TestPki.Issued young = TestPki.client(fx.ca, "gw-01", "acme", now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(355)));
        TestPki.writeGatewayFiles(fx.certs, young, CryptoFixture.PASSPHRASE, fx.ca.cert());
        KeyPair first = CommandKeyFilesTest.ed25519();
        CommandKeyFilesTest.writePublic(home.resolve("certs/command-keys/k1.pem"), first);
        CommandKeyFilesTest.writePublic(home.resolve("other-keys/k2.pem"), CommandKeyFilesTest.ed25519());
        AtomicInteger csrs = new AtomicInteger();
        CsrSubmitter wms = csr -> {
            csrs.incrementAndGet();
            throw new IOException("not answering in this test");
        };
        CryptoComponent crypto = fx.create();
        crypto.bindSubmitter(wms);
        crypto.bindSession(CryptoFixture.sessionOpen("https://localhost", System.currentTimeMillis()));
        fx.configure(Map.of());
        assertThat(crypto.generation()).isEqualTo(1);
        assertThat(crypto.kids()).containsExactly("k1");

        // Each key but pollIntervalMs would change every part: the TLS context (requireFreshCrl), the command
        // keys (another folder) and rotation (a 10-day-old certificate due at 5 days).
        fx.configure(Map.of("pollIntervalMs", 10L, "requireFreshCrl", true, "commandKeys", "other-keys", "rotationDays", 5));

        assertThat(fx.audit.withAction("config.rejected")).singleElement()
                .satisfies(e -> assertThat(String.valueOf(e.details().get("reason"))).contains("pollIntervalMs"));
        crypto.reload();
        assertThat(crypto.generation()).as("TLS context not rebuilt").isEqualTo(1);
        assertThat(crypto.kids()).as("command keys from the previous folder").containsExactly("k1");
        assertThat(crypto.key("k1")).isPresent();
        fx.rotation().checkNow();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() -> csrs.get() == 0);

        // The same change made valid goes to every part: so what stayed above stayed because of the rejection.
        fx.configure(Map.of("requireFreshCrl", true, "commandKeys", "other-keys", "rotationDays", 5));
        assertThat(fx.audit.withAction("config.rejected")).hasSize(1);
        assertThat(crypto.generation()).isEqualTo(2);
        assertThat(crypto.kids()).containsExactly("k2");
        await().atMost(Duration.ofSeconds(10)).until(() -> csrs.get() > 0);
    }
}
