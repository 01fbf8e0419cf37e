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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.crypto.CertificateRotation;
import site.gateway.api.status.Severity;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;

/** §2.3/§5 as far as the transport goes: carrying the CSR, confirming or rolling back a renewed pair; §1 refused client certificate. */
class RotationTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    /** Records what the transport reports about a pair on trial. */
    static final class Trial implements CertificateRotation {
        volatile boolean pending = true;
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public boolean pending() {
            return pending;
        }

        @Override
        public void confirmCurrent(long generation) {
            calls.add("confirm " + generation);
            pending = false;
        }

        @Override
        public void rejectCurrent(long generation, String reason) {
            calls.add("reject " + generation);
            pending = false;
        }
    }

    @Test
    void csrIsCarriedWithTheTokenAndTheChainReturned() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=" + TestGateway.GATEWAY + ", O=" + TestGateway.TENANT), pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            java.io.StringWriter pem = new java.io.StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(csr);
            }
            String chain = gw.engine.submitCsr(pem.toString());
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
            assertThat(leaf.getPublicKey()).isEqualTo(pair.getPublic());
            assertThatThrownBy(() -> gw.engine.submitCsr("not a csr")).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void renewedPairIsConfirmedByARegistrationOverANewConnection() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            Trial trial = new Trial();
            gw.env.rotation = trial;
            IssuedCertificate renewed = pki.issueGatewayCertificate(TestGateway.TENANT, TestGateway.GATEWAY,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            long generation = tls.rotateTo(renewed);
            gw.engine.tlsChanged(generation);
            await().atMost(Duration.ofSeconds(30)).until(() -> trial.calls.contains("confirm " + generation));
            assertThat(wms.clientCertificateSerials()).contains(renewed.serial());
            assertThat(wms.registrationCount()).isEqualTo(2);
            gw.awaitConnected();
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
            Trial trial = new Trial();
            gw.env.rotation = trial;
            long generation = tls.rotateTo(DevPki.untrustedGatewayCertificate(TestGateway.TENANT, TestGateway.GATEWAY));
            gw.engine.tlsChanged(generation);
            await().atMost(Duration.ofSeconds(30)).until(() -> trial.calls.contains("reject " + generation));
            assertThat(gw.env.alerts).anyMatch(a -> a.code().equals("wms.auth-rejected") && a.severity() == Severity.CRITICAL);
        }
    }
}
