package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CRLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.4: revocation of a WMS server certificate issued by an intermediate CA (not a trust anchor).
 * Before, the intermediate's CRL was refused ("not a trust anchor") and the leaf was never checked.
 */
class IntermediateCrlTest {
    @TempDir
    Path home;

    CryptoFixture fx;
    TestPki.Issued issuing;
    TestPki.Issued server;

    @BeforeEach
    void setUp() throws Exception {
        fx = new CryptoFixture(home);
        issuing = TestPki.intermediate(fx.ca, "Test WMS Issuing CA");
        server = TestPki.server(issuing, "localhost");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aServerCertificateRevokedByItsIntermediateIsRefused() throws Exception {
        CryptoComponent tls = fx.start();
        Instant now = Instant.now();
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            assertThat(CryptoFixture.exchange(tls, "localhost", wms.port())).endsWith("ok"); // the chain validates

            // The WMS publishes its issuing CA's CRL (§2.4), fetched over that validated session.
            tls.updateCrl(TestPki.pem(TestPki.crlSignedBy(issuing.cert().getSubjectX500Principal(), issuing.keys().getPrivate(),
                    now, now.plus(Duration.ofDays(7)), server.cert().getSerialNumber())));

            assertThatThrownBy(() -> CryptoFixture.exchange(tls, "localhost", wms.port())).isInstanceOf(SSLHandshakeException.class);
            assertThat(String.valueOf(fx.audit.withAction("tls.rejected").get(0).details().get("reason"))).contains("revoked");
        }
    }

    /** An open session was validated with the old CRL: the holder asks again when the CRL changes. */
    @Test
    void theChainOfAnOpenSessionIsValidatedAgainstANewCrl() throws Exception {
        CryptoComponent tls = fx.start();
        Instant now = Instant.now();
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", wms.port());
            tls.revalidateServer("localhost"); // still trusted
            tls.updateCrl(TestPki.pem(TestPki.crlSignedBy(issuing.cert().getSubjectX500Principal(), issuing.keys().getPrivate(),
                    now, now.plus(Duration.ofDays(7)), server.cert().getSerialNumber())));
            assertThatThrownBy(() -> tls.revalidateServer("localhost")).hasMessageContaining("revoked");
            assertThat(fx.audit.withAction("tls.rejected")).hasSize(1);
            tls.revalidateServer("unknown.example"); // nothing accepted for it: nothing to say
        }
    }

    @Test
    void restartedTheIntermediatesCrlStillApplies() throws Exception {
        CryptoComponent tls = fx.start();
        Instant now = Instant.now();
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", wms.port());
            tls.updateCrl(TestPki.pem(TestPki.crlSignedBy(issuing.cert().getSubjectX500Principal(), issuing.keys().getPrivate(),
                    now, now.plus(Duration.ofDays(7)), server.cert().getSerialNumber())));
        }
        // Kept per issuer next to crlFile, and used again after a restart.
        assertThat(IssuerCrls.files(home.resolve("data/crl/wms.crl"))).hasSize(1);
        CryptoComponent restarted = fx.start();
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            assertThatThrownBy(() -> CryptoFixture.exchange(restarted, "localhost", wms.port())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aCrlInTheIntermediatesNameSignedByAnotherKeyIsRefused() throws Exception {
        CryptoComponent tls = fx.start();
        Instant now = Instant.now();
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", wms.port());
            byte[] forged = TestPki.pem(TestPki.crlSignedBy(issuing.cert().getSubjectX500Principal(), TestPki.ecKeys().getPrivate(),
                    now, now.plus(Duration.ofDays(7)), server.cert().getSerialNumber()));
            assertThatThrownBy(() -> tls.updateCrl(forged)).isInstanceOf(CRLException.class);
            assertThat(CryptoFixture.exchange(tls, "localhost", wms.port())).endsWith("ok");
        }
    }

    @Test
    void anIntermediateRevokedByTheRootIsRefused_andRequireFreshCrlWantsBothCrls() throws Exception {
        Instant now = Instant.now();
        CryptoComponent tls = fx.start(Map.of("requireFreshCrl", true));
        try (TlsTestServer wms = new TlsTestServer(server, fx.ca.cert(), "TLSv1.3")) {
            assertThatThrownBy(() -> CryptoFixture.exchange(tls, "localhost", wms.port())).isInstanceOf(SSLHandshakeException.class);
            tls.updateCrl(TestPki.pem(TestPki.crl(fx.ca, now, now.plus(Duration.ofDays(7)))));
            // The root's CRL alone does not cover the leaf: its issuer's CRL is missing.
            assertThatThrownBy(() -> CryptoFixture.exchange(tls, "localhost", wms.port())).isInstanceOf(SSLHandshakeException.class);
            assertThat(String.valueOf(fx.audit.withAction("tls.rejected").get(1).details().get("reason")))
                    .contains("no CRL of CN=Test WMS Issuing CA");

            tls.updateCrl(TestPki.pem(TestPki.crl(fx.ca, now.plusSeconds(1), now.plus(Duration.ofDays(7)),
                    issuing.cert().getSerialNumber())));
            assertThatThrownBy(() -> CryptoFixture.exchange(tls, "localhost", wms.port())).isInstanceOf(SSLHandshakeException.class);
            assertThat(String.valueOf(fx.audit.withAction("tls.rejected").get(2).details().get("reason"))).contains("revoked");
        }
    }
}
