package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.Route;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** §1: the gateway talks TLS 1.3 only and refuses servers it cannot validate; nothing is registered or sent. */
class TlsRefusalTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void tls12OnlyServerIsRefused() throws Exception {
        assertRefused(b -> b.tls12Only(true), new TestTls(pki));
    }

    @Test
    void untrustedServerCertificateIsRefused() throws Exception {
        assertRefused(b -> b.serverCertificate(DevPki.untrustedServerCertificate()), new TestTls(pki));
    }

    @Test
    void expiredServerCertificateIsRefused() throws Exception {
        assertRefused(b -> b.serverCertificate(pki.issueExpiredServerCertificate()), new TestTls(pki));
    }

    @Test
    void wrongHostServerCertificateIsRefused() throws Exception {
        assertRefused(b -> b.serverCertificate(pki.issueServerCertificateForHost("wms.example")), new TestTls(pki));
    }

    @Test
    void revokedServerCertificateIsRefused() throws Exception {
        DevPki own = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
        TestTls tls = new TestTls(own).withCrl(own.revoke(own.serverCertificate().certificate()));
        try (WmsSandbox wms = WmsSandbox.builder(own).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.append(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audited("tls.rejected", "rejected") >= 2);
            assertThat(wms.registrationCount()).isZero();
            assertThat(wms.requestCount(Route.REGISTER)).isZero(); // refused in the handshake, before HTTP
            assertThat(gw.outbox().stats().messages()).isEqualTo(3);
        }
    }

    private static void assertRefused(Function<WmsSandbox.Builder, WmsSandbox.Builder> server, TestTls tls) throws Exception {
        try (WmsSandbox wms = server.apply(WmsSandbox.builder(pki)).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.append(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audited("tls.rejected", "rejected") >= 2);
            assertThat(wms.registrationCount()).isZero();
            assertThat(wms.requestCount(Route.REGISTER)).isZero();
            assertThat(gw.outbox().stats().messages()).isEqualTo(3);
            assertThat(gw.env.alerts).noneMatch(a -> a.code().equals("wms.auth-rejected"));
        }
    }
}
