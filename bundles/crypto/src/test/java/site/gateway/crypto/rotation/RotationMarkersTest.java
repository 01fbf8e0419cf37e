package site.gateway.crypto.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.api.crypto.TlsContextGeneration;
import site.gateway.api.wms.WmsCertificateVerdict;
import site.gateway.crypto.CryptoComponent;
import site.gateway.crypto.CryptoFixture;
import site.gateway.crypto.TestPki;
import site.gateway.testsupport.ServiceRecorder;

/**
 * Issue 17.2: the crypto side of the one-way flow. The TLS context is announced by the
 * {@link TlsContextGeneration} marker's properties (read at registration by whoever binds late, updated in
 * place); a pair on trial is decided by the transport's markers, never by a call from the transport.
 */
class RotationMarkersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    java.nio.file.Path home;

    CryptoFixture fx;
    CryptoComponent tls;
    CertificateRotator rotation;
    X509Certificate oldCert;
    /** The marker's registration in the framework: its properties at registration, then each update. */
    final ServiceRecorder framework = new ServiceRecorder();

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A gateway whose certificate is due (91 days old), renewed at once over an open session: a pair on trial. */
    private long pairOnTrial() throws Exception {
        fx = new CryptoFixture(home);
        Instant now = Instant.now();
        TestPki.Issued aged = TestPki.client(fx.ca, "gw-01", "acme", now.minus(Duration.ofDays(91)), now.plus(Duration.ofDays(274)));
        TestPki.writeGatewayFiles(fx.certs, aged, CryptoFixture.PASSPHRASE, fx.ca.cert());
        oldCert = aged.cert();
        tls = fx.create();
        rotation = fx.rotation();
        rotation.submitterArrived(new TestCa(fx.ca));
        fx.sessionOpened(CryptoFixture.sessionOpen("https://localhost", System.currentTimeMillis(), 1));
        fx.activate(framework.context(), Map.of("rotationRetryInitialSeconds", 600, "rotationRetryMaxSeconds", 600));
        await().atMost(WAIT).until(() -> rotation.trialGeneration() > 0);
        return rotation.trialGeneration();
    }

    @Test
    void markerIsRegisteredWithTheCurrentContextAndUpdatedInPlace() throws Exception {
        long trial = pairOnTrial();
        // Registered once, after the first configuration: a transport binding now reads the context in force.
        List<ServiceRecorder.Call> registered = framework.calls("register");
        assertThat(registered).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(TlsContextGeneration.class);
            assertThat(c.properties()).containsEntry(TlsContextGeneration.GENERATION, 1L)
                    .containsEntry(TlsContextGeneration.PAIR_ON_TRIAL, false);
        });
        // The renewal changed the context: the same registration now shows the pair on trial.
        await().atMost(WAIT).until(() -> framework.calls("update").stream()
                .anyMatch(c -> c.properties().get(TlsContextGeneration.GENERATION).equals(trial)));
        assertThat(framework.calls("update")).last().satisfies(c -> assertThat(c.properties())
                .containsEntry(TlsContextGeneration.GENERATION, trial).containsEntry(TlsContextGeneration.PAIR_ON_TRIAL, true));
        assertThat(framework.calls("register")).hasSize(1);
        fx.close();
        fx = null;
        assertThat(framework.calls()).last().extracting(ServiceRecorder.Call::kind).isEqualTo("unregister");
    }

    @Test
    void acceptedVerdictConfirmsOnlyTheTrialGeneration() throws Exception {
        long trial = pairOnTrial();
        X509Certificate renewed = tls.clientChain().get(0);
        // A late binding reads the verdict on the previous pair: nothing is confirmed by it.
        fx.verdict(Map.of(WmsCertificateVerdict.TLS_GENERATION, trial - 1, WmsCertificateVerdict.ACCEPTED, true));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(rotation::pending);
        fx.verdict(Map.of(WmsCertificateVerdict.TLS_GENERATION, trial, WmsCertificateVerdict.ACCEPTED, true));
        await().atMost(WAIT).until(() -> !rotation.pending());
        assertThat(fx.audit.withAction("cert.rotated")).hasSize(1);
        assertThat(tls.clientChain().get(0)).isEqualTo(renewed);
        assertThat(tls.generation()).isEqualTo(trial); // confirming does not disturb the session
    }

    @Test
    void refusedVerdictRollsBackAtOnce() throws Exception {
        long trial = pairOnTrial();
        fx.verdict(Map.of(WmsCertificateVerdict.TLS_GENERATION, trial, WmsCertificateVerdict.ACCEPTED, false,
                WmsCertificateVerdict.REASON, "register answered 401"));
        await().atMost(WAIT).until(() -> !rotation.pending());
        assertThat(tls.clientChain().get(0)).isEqualTo(oldCert);
        assertThat(fx.audit.withAction("cert.rotation-rolled-back")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "register answered 401"));
        assertThat(fx.alerts.withCode("cert.rotation-failed")).hasSize(1);
        // The context in force again is announced as no longer on trial.
        assertThat(fx.announced()).containsEntry(TlsContextGeneration.GENERATION, tls.generation())
                .containsEntry(TlsContextGeneration.PAIR_ON_TRIAL, false);
    }

    @Test
    void sessionOpenedWithTheTrialGenerationConfirms_anEarlierOneDoesNot() throws Exception {
        long trial = pairOnTrial();
        fx.sessionOpened(CryptoFixture.sessionOpen("https://localhost", System.currentTimeMillis() + 5, trial - 1));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(rotation::pending);
        fx.sessionOpened(CryptoFixture.sessionOpen("https://localhost", System.currentTimeMillis() + 5, trial));
        await().atMost(WAIT).until(() -> fx.audit.withAction("cert.rotated").size() == 1);
        assertThat(rotation.pending()).isFalse();
    }
}
