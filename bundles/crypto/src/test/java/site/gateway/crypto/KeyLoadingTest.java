package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.status.Severity;

class KeyLoadingTest {
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
    void wrongPassphraseGivesOneClearErrorAndCriticalAlertUntilFixed() throws Exception {
        Files.writeString(fx.certs.resolve("gateway.pass"), "not the passphrase\n");
        CryptoComponent tls = fx.start();
        assertThatThrownBy(tls::sslContext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong passphrase").hasMessageContaining("gateway.key");
        assertThat(tls.generation()).isZero();
        for (int i = 0; i < 5; i++) {
            tls.reload(); // polling must not repeat the error or the alert
        }
        assertThat(fx.alerts.withCode("crypto.key-unreadable")).hasSize(1)
                .allMatch(a -> a.severity() == Severity.CRITICAL && !a.message().contains("not the passphrase"));

        Files.writeString(fx.certs.resolve("gateway.pass"), CryptoFixture.PASSPHRASE + "\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> tls.generation() == 1);
        assertThat(tls.sslContext()).isNotNull();
    }

    @Test
    void unencryptedKeyIsRefused() throws Exception {
        Files.writeString(fx.certs.resolve("gateway.key"), TestPki.CODEC.pem(new JcaPKCS8Generator(fx.client.keys().getPrivate(), null)));
        CryptoComponent tls = fx.start();
        assertThatThrownBy(tls::sslContext).hasMessageContaining("not encrypted");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        TestPki.Issued other = TestPki.client(fx.ca, "gw-02", "acme");
        Files.writeString(fx.certs.resolve("gateway.crt"), other.chainPem());
        CryptoComponent tls = fx.start();
        assertThatThrownBy(tls::sslContext).hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void passphraseFromSystemdCredential() throws Exception {
        Path credentials = Files.createDirectories(home.resolve("run-credentials"));
        Files.writeString(credentials.resolve("gateway-key"), CryptoFixture.PASSPHRASE);
        Files.delete(fx.certs.resolve("gateway.pass"));
        fx.env.put("CREDENTIALS_DIRECTORY", credentials.toString());
        CryptoComponent tls = fx.start(Map.of("keyPassphraseFile", "credential:gateway-key"));
        assertThat(tls.generation()).isEqualTo(1);
    }

    @Test
    void missingCredentialsDirectoryIsExplained() {
        CryptoComponent tls = fx.start(Map.of("keyPassphraseFile", "credential:gateway-key"));
        assertThatThrownBy(tls::sslContext).hasMessageContaining("CREDENTIALS_DIRECTORY is not set");
    }

    @Test
    void encryptedKeyIsScryptAes256AndReadBack() throws Exception {
        String pem = TestPki.CODEC.encryptPrivateKey(fx.client.keys().getPrivate(), "pw".toCharArray());
        assertThat(pem).contains("BEGIN ENCRYPTED PRIVATE KEY");
        var info = new org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo(
                new org.bouncycastle.util.io.pem.PemReader(new java.io.StringReader(pem)).readPemObject().getContent());
        var pbes2 = org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        assertThat(pbes2.getKeyDerivationFunc().getAlgorithm()).isEqualTo(org.bouncycastle.asn1.misc.MiscObjectIdentifiers.id_scrypt);
        assertThat(pbes2.getEncryptionScheme().getAlgorithm()).isEqualTo(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC);
        assertThat(TestPki.CODEC.decryptPrivateKey(pem, "pw".toCharArray(), "k").getEncoded())
                .isEqualTo(fx.client.keys().getPrivate().getEncoded());
    }

    @Test
    void changedFilesAreReloadedAndListenersTold() throws Exception {
        CryptoComponent tls = fx.start();
        TestPki.Issued renewed = TestPki.client(fx.ca, "gw-01", "acme");
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", server.port());
            // Key first, then certificate: the half-written state in between must not be installed.
            Files.writeString(fx.certs.resolve("gateway.key"),
                    TestPki.CODEC.encryptPrivateKey(renewed.keys().getPrivate(), CryptoFixture.PASSPHRASE.toCharArray()));
            Files.writeString(fx.certs.resolve("gateway.crt"), renewed.chainPem());
            await().atMost(Duration.ofSeconds(10)).until(() -> tls.clientChain().get(0).equals(renewed.cert()));
            // Told through the TlsContextGeneration marker's properties (issue 17.2).
            assertThat((Long) fx.announced().get("generation")).isEqualTo(tls.generation()).isGreaterThan(1);
            assertThat(fx.announced()).containsEntry("pairOnTrial", false);
            CryptoFixture.exchange(tls, "localhost", server.port());
            assertThat(server.seen.get(1).clientCert()).isEqualTo(renewed.cert());
        }
    }

    @Test
    void onlyTlsRelevantSettingsRebuildTheContext() {
        CryptoComponent tls = fx.start();
        tls.configure(CryptoFixture.config(Map.of("rotationDays", 30, "pollIntervalMs", 200L)));
        assertThat(tls.generation()).isEqualTo(1);
        tls.configure(CryptoFixture.config(Map.of("requireFreshCrl", true)));
        assertThat(tls.generation()).isEqualTo(2);
    }

    @Test
    void anInvalidFirstConfigurationKeepsTheContextOutOfService() {
        assertThatThrownBy(() -> fx.start(Map.of("rotationDays", 0)))
                .isInstanceOf(org.osgi.service.component.ComponentException.class)
                .hasMessageContaining(CryptoConfig.PID).hasMessageContaining("rotationDays");
        assertThat(fx.audit.withAction("config.rejected")).hasSize(1);
    }

    @Test
    void invalidConfigurationKeepsTheLastGoodOne() {
        CryptoComponent tls = fx.start();
        tls.configure(CryptoFixture.config(Map.of("rotationDays", 0)));
        assertThat(tls.generation()).isEqualTo(1);
        assertThat(fx.audit.withAction("config.rejected")).hasSize(1);
    }
}
