package site.gateway.crypto.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.status.Severity;
import site.gateway.crypto.CryptoFixture;
import site.gateway.crypto.TestPki;
import site.gateway.crypto.CryptoComponent;
import site.gateway.crypto.TlsTestServer;

/** Rotation end to end: real files, real TLS on loopback, a test CA answering the CSR. */
class CertificateRotatorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    CryptoFixture fx;
    CryptoComponent tls;
    CertificateRotator rotation;
    TestCa wms;
    int initialFailures;
    boolean transportLater;
    java.security.cert.X509Certificate agedCert;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A gateway whose certificate was issued {@code ageDays} ago and expires in {@code leftDays}. */
    private void start(int ageDays, int leftDays, Map<String, Object> config) throws Exception {
        fx = new CryptoFixture(home);
        Instant now = Instant.now();
        TestPki.Issued aged = TestPki.client(fx.ca, "gw-01", "acme", now.minus(Duration.ofDays(ageDays)), now.plus(Duration.ofDays(leftDays)));
        TestPki.writeGatewayFiles(fx.certs, aged, CryptoFixture.PASSPHRASE, fx.ca.cert());
        agedCert = aged.cert();
        wms = new TestCa(fx.ca);
        wms.failuresLeft = initialFailures;
        tls = fx.create();
        rotation = fx.rotation();
        if (!transportLater) { // bound before activation, as SCR binds what is there
            rotation.submitterArrived(wms);
            rotation.sessionOpened(open(System.currentTimeMillis()));
        }
        Map<String, Object> m = new HashMap<>(Map.of("rotationRetryInitialSeconds", 1, "rotationRetryMaxSeconds", 2));
        m.putAll(config);
        fx.configure(m);
    }

    @Test
    void dueCertificateIsRenewedUsedAndConfirmed() throws Exception {
        start(91, 274, Map.of());
        var oldCert = agedCert;
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        long trialGeneration = tls.generation();
        var newCert = tls.clientChain().get(0);
        assertThat(newCert.getSerialNumber()).isNotEqualTo(oldCert.getSerialNumber());
        assertThat(newCert.getPublicKey()).isNotEqualTo(oldCert.getPublicKey());
        assertThat(newCert.getSubjectX500Principal()).isEqualTo(oldCert.getSubjectX500Principal());
        assertThat(newCert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(fx.certs.resolve("gateway.key.new")).exists();
        assertThat(Files.readString(fx.certs.resolve("gateway.key.new"))).contains("ENCRYPTED PRIVATE KEY");

        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", server.port());
            assertThat(server.seen.get(0).clientCert()).isEqualTo(newCert); // the server sees the new serial
            rotation.confirmCurrent(trialGeneration);
            await().atMost(WAIT).until(() -> !rotation.pending());
            assertThat(tls.generation()).isEqualTo(trialGeneration); // committing does not disturb the session
            CryptoFixture.exchange(tls, "localhost", server.port());
            assertThat(server.seen.get(1).clientCert()).isEqualTo(newCert); // the old key is no longer used
        }
        assertThat(TestPki.CODEC.certificates(Files.readString(fx.certs.resolve("gateway.crt")), "c").get(0)).isEqualTo(newCert);
        assertThat(fx.certs.resolve("gateway.key.new")).doesNotExist();
        assertThat(fx.certs.resolve("gateway.key.rotation")).doesNotExist();
        assertThat(TestPki.CODEC.certificates(Files.readString(fx.certs.resolve("gateway.crt.prev")), "c").get(0)).isEqualTo(oldCert);
        assertThat(fx.audit.withAction("cert.rotated")).hasSize(1);
        assertThat(fx.alerts.withCode("cert.rotation-failed")).isEmpty();
        assertThat(wms.requests.get()).isEqualTo(1);
    }

    @Test
    void refusedNewPairIsRolledBack() throws Exception {
        start(91, 274, Map.of("rotationRetryInitialSeconds", 600, "rotationRetryMaxSeconds", 600));
        var oldCert = agedCert;
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        long trialGeneration = tls.generation();
        rotation.rejectCurrent(trialGeneration, "TLS handshake refused by the WMS");
        await().atMost(WAIT).until(() -> !rotation.pending());
        assertThat(tls.clientChain().get(0)).isEqualTo(oldCert);
        assertThat(tls.generation()).isGreaterThan(trialGeneration);
        assertThat(fx.certs.resolve("gateway.key.new")).doesNotExist();
        assertThat(fx.alerts.withCode("cert.rotation-failed")).hasSize(1);
        assertThat(fx.audit.withAction("cert.rotation-rolled-back")).hasSize(1);
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            CryptoFixture.exchange(tls, "localhost", server.port());
            assertThat(server.seen.get(0).clientCert()).isEqualTo(oldCert);
        }
    }

    @Test
    void unconfirmedPairIsRolledBackAfterTheTimeoutAndRetried() throws Exception {
        start(91, 274, Map.of("rotationConfirmSeconds", 1));
        var oldCert = agedCert;
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        await().atMost(WAIT).until(() -> fx.audit.withAction("cert.rotation-rolled-back").size() == 1);
        assertThat(fx.alerts.withCode("cert.rotation-failed")).isNotEmpty();
        // Retried with backoff: a second renewal comes, and a session opened with it confirms it.
        await().atMost(WAIT).until(() -> wms.requests.get() >= 2 && rotation.trialGeneration() > 0);
        var trial = tls.clientChain().get(0);
        assertThat(trial).isNotEqualTo(oldCert);
        rotation.sessionOpened(CryptoFixture.sessionOpen("https://localhost", System.currentTimeMillis() + 5, tls.generation()));
        await().atMost(WAIT).until(() -> fx.audit.withAction("cert.rotated").size() == 1);
        assertThat(tls.clientChain().get(0)).isEqualTo(trial);
    }

    @Test
    void answerWithAForeignKeyIsRefusedAndExpiringAlerted() throws Exception {
        start(80, 5, Map.of());
        var oldCert = agedCert;
        wms.answerWithAnotherKey = true;
        await().atMost(WAIT).until(() -> !fx.alerts.withCode("cert.rotation-failed").isEmpty());
        assertThat(fx.alerts.withCode("cert.rotation-failed").get(0).message()).contains("public key we generated");
        assertThat(fx.alerts.withCode("cert.expiring")).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(rotation.pending()).isFalse();
        assertThat(tls.clientChain().get(0)).isEqualTo(oldCert);
        assertThat(fx.certs.resolve("gateway.key.new")).doesNotExist();
        wms.answerWithAnotherKey = false; // the WMS recovers: the retry with backoff succeeds
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
    }

    @Test
    void transientFailureIsRetriedWithBackoff() throws Exception {
        initialFailures = 2;
        start(91, 274, Map.of());
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        assertThat(wms.requests.get()).isEqualTo(3);
        assertThat(fx.alerts.withCode("cert.rotation-failed")).hasSize(2);
        assertThat(fx.alerts.withCode("cert.expiring")).isEmpty(); // expiry is far away
    }

    @Test
    void renewalWaitsQuietlyForTheTransportThenGoesAhead() throws Exception {
        transportLater = true;
        // A long retry delay: only binding the transport can start the renewal within the wait below.
        start(91, 274, Map.of("rotationRetryInitialSeconds", 600, "rotationRetryMaxSeconds", 600));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !rotation.pending());
        assertThat(fx.alerts.withCode("cert.rotation-failed")).isEmpty(); // not alarming while expiry is far
        rotation.submitterArrived(wms);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !rotation.pending()); // no session yet
        rotation.sessionOpened(open(System.currentTimeMillis()));
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        assertThat(wms.requests.get()).isEqualTo(1);
    }

    /**
     * Issue 12.5: due and expiring in 5 days at start, the transport there but not registered yet. Before: the
     * renewal was tried, failed ("no WMS registration"), alerted and backed off for minutes. Now it waits for
     * the session and starts as soon as it opens.
     */
    @Test
    void dueRenewalWaitsForTheFirstSession_withoutAFailureAlert() throws Exception {
        transportLater = true;
        start(80, 5, Map.of("rotationRetryInitialSeconds", 120, "rotationRetryMaxSeconds", 120));
        java.util.concurrent.atomic.AtomicBoolean registered = new java.util.concurrent.atomic.AtomicBoolean();
        rotation.submitterArrived(csr -> {
            if (!registered.get()) {
                throw new java.io.IOException("no WMS registration: cannot renew the certificate now");
            }
            return wms.submitCsr(csr);
        });
        rotation.checkNow();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !rotation.pending());
        assertThat(fx.alerts.withCode("cert.rotation-failed")).isEmpty();
        assertThat(fx.alerts.withCode("cert.expiring")).isEmpty();

        registered.set(true);
        rotation.sessionOpened(open(System.currentTimeMillis()));
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0); // within the wait, not after the 120 s backoff
        assertThat(wms.requests.get()).isEqualTo(1);
        assertThat(fx.alerts.withCode("cert.rotation-failed")).isEmpty();
    }

    /**
     * Issue 12.5: whoever is told about the new TLS context (the transport, to reconnect with the pair on trial)
     * already sees it on trial; before, the flag was set after the reload, and the transport ignored the change.
     * Since 17.2 the announcement is the {@code TlsContextGeneration} marker, whose trial flag comes with the
     * generation from the same files.
     */
    @Test
    void theNewContextIsAnnouncedWithThePairAlreadyOnTrial() throws Exception {
        transportLater = true;
        start(91, 274, Map.of());
        assertThat(fx.announced()).containsEntry("pairOnTrial", false);
        rotation.submitterArrived(wms);
        rotation.sessionOpened(open(System.currentTimeMillis()));
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        long trial = tls.generation();
        assertThat(fx.announced()).containsEntry("generation", trial).containsEntry("pairOnTrial", true);
    }

    private static site.gateway.api.wms.WmsSessionOpen open(long connectedSince) {
        return CryptoFixture.sessionOpen("https://localhost", connectedSince);
    }


    @Test
    void certificateNotDueIsLeftAlone() throws Exception {
        start(10, 355, Map.of());
        rotation.checkNow();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !rotation.pending());
        assertThat(wms.requests.get()).isZero();
    }
}
