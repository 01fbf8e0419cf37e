package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.status.Severity;

/** Real TLS on loopback: a JDK server requiring client certificates, the gateway's context as client. */
class TlsValidationTest {
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
    void mutualTls13HandshakePresentsTheGatewayCertificate() throws Exception {
        CryptoComponent tls = fx.start();
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost", "127.0.0.1"), fx.ca.cert(), "TLSv1.3", "TLSv1.2")) {
            assertThat(CryptoFixture.exchange(tls, "localhost", server.port())).endsWith("ok");
            assertThat(CryptoFixture.exchange(tls, "127.0.0.1", server.port())).endsWith("ok");
            assertThat(server.seen).hasSize(2);
            assertThat(server.seen.get(0).protocol()).isEqualTo("TLSv1.3");
            assertThat(server.seen.get(0).clientCert()).isEqualTo(fx.client.cert());
        }
        assertThat(tls.generation()).isEqualTo(1);
        assertThat(tls.clientChain()).containsExactlyElementsOf(fx.client.chain());
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.sslContext().getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3");
        assertThat(tls.sslContext().createSSLEngine("localhost", 443).getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(fx.audit.withAction("tls.rejected")).isEmpty();
    }

    @Test
    void serverOfferingOnlyTls12IsRefused() throws Exception {
        CryptoComponent tls = fx.start();
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.2")) {
            assertThatThrownBy(() -> CryptoFixture.exchange(tls, "localhost", server.port())).isInstanceOf(SSLException.class);
            assertThat(server.seen).isEmpty();
        }
    }

    @Test
    void untrustedCaIsRefusedAndAudited() throws Exception {
        CryptoComponent tls = fx.start();
        TestPki.Issued rogue = TestPki.ca("Rogue CA");
        try (TlsTestServer server = new TlsTestServer(TestPki.server(rogue, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            assertRefused(tls, server, "localhost", "untrusted");
        }
    }

    @Test
    void expiredServerCertificateIsRefusedAndAudited() throws Exception {
        CryptoComponent tls = fx.start();
        try (TlsTestServer server = new TlsTestServer(TestPki.expiredServer(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            assertRefused(tls, server, "localhost", "expired");
        }
    }

    @Test
    void wrongHostIsRefusedAndAudited() throws Exception {
        CryptoComponent tls = fx.start();
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "wms.other.example"), fx.ca.cert(), "TLSv1.3")) {
            assertRefused(tls, server, "localhost", "does not match");
            // An IP literal must match an iPAddress SAN, not a DNS name.
            assertRefused(tls, server, "127.0.0.1", "does not match");
        }
    }

    @Test
    void revokedServerCertificateIsRefusedOnceTheCrlIsInstalled() throws Exception {
        CryptoComponent tls = fx.start();
        TestPki.Issued serverCert = TestPki.server(fx.ca, "localhost");
        try (TlsTestServer server = new TlsTestServer(serverCert, fx.ca.cert(), "TLSv1.3")) {
            assertThat(CryptoFixture.exchange(tls, "localhost", server.port())).endsWith("ok");
            Instant now = Instant.now();
            tls.updateCrl(TestPki.pem(TestPki.crl(fx.ca, now.minusSeconds(5), now.plus(Duration.ofDays(7)),
                    serverCert.cert().getSerialNumber())));
            assertThat(tls.generation()).isEqualTo(2);
            assertThat(home.resolve("data/crl/wms.crl")).exists();
            assertRefused(tls, server, "localhost", "revoked");
        }
    }

    @Test
    void crlWithABadSignatureIsNotInstalled() throws Exception {
        CryptoComponent tls = fx.start();
        TestPki.Issued impostor = TestPki.ca("Test WMS CA"); // same name, different key
        Instant now = Instant.now();
        byte[] forged = TestPki.pem(TestPki.crl(impostor, now, now.plus(Duration.ofDays(7))));
        assertThatThrownBy(() -> tls.updateCrl(forged)).hasMessageContaining("signature does not verify");
        assertThat(home.resolve("data/crl/wms.crl")).doesNotExist();
        assertThat(tls.generation()).isEqualTo(1);
        assertThat(fx.audit.withAction("crl.rejected")).hasSize(1);
    }

    @Test
    void olderCrlIsNotInstalledAndTheSameOneIsANoOp() throws Exception {
        CryptoComponent tls = fx.start();
        Instant now = Instant.now();
        byte[] fresh = TestPki.pem(TestPki.crl(fx.ca, now, now.plus(Duration.ofDays(7))));
        tls.updateCrl(fresh);
        tls.updateCrl(fresh);
        byte[] resigned = TestPki.pem(TestPki.crl(fx.ca, now, now.plus(Duration.ofDays(7))));
        assertThat(resigned).isNotEqualTo(fresh); // ECDSA: a new signature each time
        tls.updateCrl(resigned); // the same issue served again by the WMS: no error, nothing reinstalled
        assertThat(tls.generation()).isEqualTo(2);
        assertThat(fx.audit.withAction("crl.rejected")).isEmpty();
        byte[] older = TestPki.pem(TestPki.crl(fx.ca, now.minusSeconds(3600), now.plus(Duration.ofDays(7))));
        assertThatThrownBy(() -> tls.updateCrl(older)).hasMessageContaining("not newer");
        assertThat(Files.readAllBytes(home.resolve("data/crl/wms.crl"))).isEqualTo(fresh);
    }

    @Test
    void missingCrlRaisesOneStaleWarningButDoesNotBlock() throws Exception {
        CryptoComponent tls = fx.start();
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            assertThat(CryptoFixture.exchange(tls, "localhost", server.port())).endsWith("ok");
        }
        tls.reload();
        assertThat(fx.alerts.withCode("crl.stale")).hasSize(1).allMatch(a -> a.severity() == Severity.WARNING);
    }

    /**
     * Issue 12.4: the crypto component started before the alert service (the usual start order). Before, the
     * condition was marked raised although nobody could be told, and crl.stale never reached the WMS.
     */
    @Test
    void staleCrlFoundBeforeTheAlertServiceIsRaisedWhenItComes_onceThenClearedByAFreshCrl() throws Exception {
        CryptoComponent tls = new CryptoComponent(new GatewayPaths(home), java.time.Clock.systemUTC(), fx.env::get, false);
        tls.bindAudit(fx.audit);
        tls.configure(CryptoFixture.config(Map.of("pollIntervalMs", 100)));
        tls.reload();
        tls.bindAlerts(fx.alerts);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fx.alerts.withCode("crl.stale").size() == 1);
        tls.reload();
        tls.reload();
        assertThat(fx.alerts.withCode("crl.stale")).as("once per condition").hasSize(1);

        Instant now = Instant.now();
        tls.updateCrl(TestPki.pem(TestPki.crl(fx.ca, now, now.plus(Duration.ofDays(7)))));
        assertThat(fx.audit.withAction("crl.fresh")).hasSize(1);
        assertThat(fx.alerts.withCode("crl.stale")).hasSize(1);
        tls.deactivate();
    }

    @Test
    void requireFreshCrlRefusesWhileTheCrlIsPastNextUpdate() throws Exception {
        Instant now = Instant.now();
        Files.createDirectories(home.resolve("data/crl"));
        Files.write(home.resolve("data/crl/wms.crl"), TestPki.pem(TestPki.crl(fx.ca, now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)))));
        CryptoComponent tls = fx.start(Map.of("requireFreshCrl", true));
        assertThat(fx.alerts.withCode("crl.stale")).hasSize(1);
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            assertRefused(tls, server, "localhost", "past its nextUpdate");
            tls.updateCrl(TestPki.pem(TestPki.crl(fx.ca, now, now.plus(Duration.ofDays(7)))));
            assertThat(CryptoFixture.exchange(tls, "localhost", server.port())).endsWith("ok");
        }
    }

    @Test
    void developmentModeConnectsDespiteFailuresButSaysSo() throws Exception {
        fx.developmentModeAllowed = true;
        CryptoComponent tls = fx.start(Map.of("developmentMode", true));
        assertThat(tls.developmentMode()).isTrue();
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "wms.other.example"), fx.ca.cert(), "TLSv1.3")) {
            assertThat(CryptoFixture.exchange(tls, "localhost", server.port())).endsWith("ok");
        }
        assertThat(fx.audit.withAction("tls.accepted-insecure")).hasSize(1);
        assertThat(fx.audit.withAction("tls.rejected")).isEmpty();
    }

    private void assertRefused(CryptoComponent tls, TlsTestServer server, String host, String reason) {
        int before = fx.audit.withAction("tls.rejected").size();
        assertThatThrownBy(() -> CryptoFixture.exchange(tls, host, server.port())).isInstanceOf(SSLHandshakeException.class);
        assertThat(fx.audit.withAction("tls.rejected")).hasSize(before + 1);
        AuditEvent event = fx.audit.withAction("tls.rejected").get(before);
        assertThat(event.target()).isEqualTo(host);
        assertThat(event.outcome()).isEqualTo("rejected");
        assertThat(String.valueOf(event.details().get("reason"))).contains(reason);
    }
}
