package site.gateway.crypto.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.crypto.CryptoFixture;
import site.gateway.crypto.TestPki;
import site.gateway.crypto.CryptoComponent;
import site.gateway.sandbox.TlsObservation;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** Against the WMS sandbox: its development PKI files load, its CRL installs, and rotation runs end to end. */
class SandboxRotationTest {
    @TempDir
    Path home;

    @Test
    void shortLivedCertificateIsRotatedAgainstTheSandbox() throws Exception {
        DevPki pki = DevPki.generate("acme", "gw-01", "wms-cmd-1", Duration.ofDays(2)); // within renewBeforeDays
        pki.writeTo(home.resolve("certs"));
        CryptoFixture fx = CryptoFixture.existing(home);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setRenewalValidity(Duration.ofDays(30));
            CryptoComponent tls = fx.start(Map.of("crlFile", "data/crl/wms.crl"));
            CertificateRotator rotation = fx.rotation();
            BigInteger oldSerial = tls.clientChain().get(0).getSerialNumber();
            try (MiniTransport transport = new MiniTransport(tls, wms.baseUrl())) {
                transport.register();
                tls.updateCrl(transport.crl()); // the sandbox CA's CRL verifies against the anchors
                assertThat(home.resolve("data/crl/wms.crl")).exists();

                rotation.submitterArrived(transport);
                rotation.sessionOpened(CryptoFixture.sessionOpen(wms.baseUrl(), System.currentTimeMillis())); // registered just above
                await().atMost(Duration.ofSeconds(30)).until(() -> rotation.trialGeneration() > 0);
                BigInteger newSerial = tls.clientChain().get(0).getSerialNumber();
                assertThat(newSerial).isNotEqualTo(oldSerial);

                // §5: register again over a new TLS connection with the new pair; that confirms it.
                long generation = transport.register();
                rotation.confirmCurrent(generation);
                await().atMost(Duration.ofSeconds(30)).until(() -> !rotation.pending());
                transport.register();

                assertThat(wms.clientCertificateSerials()).containsExactly(oldSerial, newSerial);
                List<TlsObservation> seen = wms.tlsObservations();
                assertThat(seen.get(seen.size() - 1).clientCertificateSerial()).isEqualTo(newSerial);
                assertThat(seen.get(seen.size() - 1).protocol()).isEqualTo("TLSv1.3");
                assertThat(wms.registrations().get(wms.registrationCount() - 1).clientCertificateSerial()).isEqualTo(newSerial);
            }
            assertThat(TestPki.CODEC.certificates(Files.readString(home.resolve("certs/gateway.crt")), "c").get(0).getSerialNumber())
                    .isEqualTo(tls.clientChain().get(0).getSerialNumber());
            assertThat(fx.alerts.withCode("cert.rotation-failed")).isEmpty();
            assertThat(fx.audit.withAction("cert.rotated")).hasSize(1);
        } finally {
            fx.close();
        }
    }
}
