package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.status.Severity;
import site.gateway.sandbox.Route;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;

/**
 * §2.3/§5 as far as the transport goes: carrying the CSR, confirming or rolling back a renewed pair; §1 refused
 * client certificate. Since issue 17.2 the transport learns of a pair on trial from crypto's
 * {@code TlsContextGeneration} marker and reports the WMS's verdict through its {@code WmsCertificateVerdict}
 * marker (which rotation follows) instead of calling rotation.
 */
class RotationTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void csrIsCarriedWithTheTokenAndTheChainReturned() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            KeyPair pair = newKeyPair();
            String chain = gw.engine.submitCsr(csrPem(pair));
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
            assertThat(leaf.getPublicKey()).isEqualTo(pair.getPublic());
            assertThatThrownBy(() -> gw.engine.submitCsr("not a csr")).isInstanceOf(java.io.IOException.class);
        }
    }

    /**
     * §2: a renewal answered 429 with Retry-After fails saying until when, and the next one is not sent to that
     * endpoint before then (the failure makes crypto's rotation back off; before, it was sent again at once).
     */
    @Test
    void aCsrAnswered429IsNotSentAgainBeforeItsRetryAfter() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            String csr = csrPem(newKeyPair());
            wms.refuse(429, 600, Route.CERTIFICATE);
            assertThatThrownBy(() -> gw.engine.submitCsr(csr)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("answered 429").hasMessageContaining("Retry-After").hasMessageContaining("may be retried from");
            assertThatThrownBy(() -> gw.engine.submitCsr(csr)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("not sent").hasMessageContaining("may be retried from");
            assertThat(wms.requestCount(Route.CERTIFICATE)).as("the second was not sent").isEqualTo(1);
        }
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String csrPem(KeyPair pair) throws Exception {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + TestGateway.GATEWAY + ", O=" + TestGateway.TENANT), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        java.io.StringWriter pem = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(csr);
        }
        return pem.toString();
    }

    @Test
    void renewedPairIsConfirmedByARegistrationOverANewConnection() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            IssuedCertificate renewed = pki.issueGatewayCertificate(TestGateway.TENANT, TestGateway.GATEWAY,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            long generation = tls.rotateTo(renewed);
            gw.engine.tlsChanged(generation, true);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.verdictShown("accepted " + generation));
            assertThat(wms.clientCertificateSerials()).contains(renewed.serial());
            assertThat(wms.registrationCount()).isEqualTo(2);
            gw.awaitConnected();
            // The session opened after it carries the generation too (rotation's second way to confirm).
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.env.sessionGenerations.contains(generation));
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
        }
    }

    @Test
    void refusedClientCertificateRollsBackAndRaisesACriticalAlert() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            long generation = tls.rotateTo(DevPki.untrustedGatewayCertificate(TestGateway.TENANT, TestGateway.GATEWAY));
            gw.engine.tlsChanged(generation, true);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.verdictShown("refused " + generation));
            assertThat(gw.env.alerts).anyMatch(a -> a.code().equals("wms.auth-rejected") && a.severity() == Severity.CRITICAL);
        }
    }

    /**
     * Issue 17.2: a transport that binds crypto's marker late reads the current context from its properties. A
     * generation its clients already have changes nothing; a newer one with a pair on trial makes it register
     * again over new connections, without any event having been delivered before.
     */
    @Test
    void aLateBoundMarkerIsReadFromItsProperties() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            // The clients were built with generation 1 (a CRL installed since counts up TestTls, not the clients).
            TlsContextState.of(Map.of("generation", 1L, "pairOnTrial", true)).applyTo(gw.engine);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> wms.registrationCount() == 1);

            IssuedCertificate renewed = pki.issueGatewayCertificate(TestGateway.TENANT, TestGateway.GATEWAY,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            long generation = tls.rotateTo(renewed); // changed while nobody was bound: no event
            TlsContextState.of(Map.of("generation", generation, "pairOnTrial", true)).applyTo(gw.engine);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.verdictShown("accepted " + generation));
            assertThat(wms.registrations().get(wms.registrationCount() - 1).clientCertificateSerial()).isEqualTo(renewed.serial());
        }
    }
}
