package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;
import site.gateway.sandbox.pki.PemIo;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The §2 HTTPS endpoints over real TLS on loopback. */
class WmsSandboxHttpTest extends SandboxFixture {


    @Test
    void registersOverTls13WithTheClientCertificate() throws Exception {
        start(WmsSandbox.builder(pki).heartbeatIntervalSeconds(3));
        JsonNode answer = gateway.register(wms, "acme", "gw-01");

        assertThat(answer.path("sessionId").asText()).isNotBlank();
        assertThat(answer.path("token").asText()).isNotBlank();
        assertThat(answer.path("tokenExpiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        assertThat(answer.path("heartbeatIntervalSeconds").asInt()).isEqualTo(3);
        assertThat(answer.path("websocketUrl").asText()).isEqualTo(wms.websocketUrl("gw-01").toString());
        assertThat(answer.path("lastReceivedSeq").asLong()).isZero();

        assertThat(wms.registrationCount()).isEqualTo(1);
        assertThat(wms.registrations().get(0).clientCertificateSerial()).isEqualTo(pki.gatewayCertificate().serial());
        TlsObservation tls = wms.tlsObservations().get(0);
        assertThat(tls.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls.clientCertificateSerial()).isEqualTo(pki.gatewayCertificate().serial());
        assertThat(wms.clientCertificateSerials()).containsExactly(pki.gatewayCertificate().serial());
    }

    @Test
    void acceptsGzipRequestBodies() throws Exception {
        start(WmsSandbox.builder(pki));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write(TestGateway.registerBody("acme", "gw-01", 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = gateway.postGzip(wms.baseUrl() + "/api/v1/gateways/register", "application/json", bytes.toByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(wms.registrations().get(0).request().get("startedAt").asLong()).isEqualTo(1764259200000L);
    }

    @Test
    void refusesMismatchedIdentityAndOtherProtocols() throws Exception {
        start(WmsSandbox.builder(pki));
        String url = wms.baseUrl() + "/api/v1/gateways/register";
        assertThat(gateway.post(url, null, "application/json", TestGateway.registerBody("other", "gw-01", 1)).statusCode()).isEqualTo(403);
        assertThat(gateway.post(url, null, "application/json", TestGateway.registerBody("acme", "gw-02", 1)).statusCode()).isEqualTo(403);
        assertThat(gateway.post(url, null, "application/json", TestGateway.registerBody("acme", "gw-01", 2)).statusCode()).isEqualTo(409);
        assertThat(gateway.post(url, null, "application/json", "{not json").statusCode()).isEqualTo(400);
        assertThat(wms.registrationCount()).isZero();
        assertThat(wms.requestCount(Route.REGISTER)).isEqualTo(4);
    }

    @Test
    void revokedClientCertificateGets401() throws Exception {
        IssuedCertificate other = pki.issueGatewayCertificate("acme", "gw-07", Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        pki.revoke(other.certificate());
        wms = WmsSandbox.builder(pki).start();
        gateway = new TestGateway(other, pki.caCertificate());
        HttpResponse<String> response = gateway.post(wms.baseUrl() + "/api/v1/gateways/register", null, "application/json",
                TestGateway.registerBody("acme", "gw-07", 1));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void unknownClientCertificateGets401InHttpModeAndFailsTheHandshakeOtherwise() throws Exception {
        IssuedCertificate stranger = DevPki.untrustedGatewayCertificate("acme", "gw-01");
        wms = WmsSandbox.builder(pki).clientCertificateCheck(ClientCertificateCheck.HTTP).start();
        gateway = new TestGateway(stranger, pki.caCertificate());
        assertThat(gateway.get(wms.baseUrl() + "/api/v1/health").statusCode()).isEqualTo(401);
        wms.stop();
        gateway.close();

        wms = WmsSandbox.builder(pki).start();
        gateway = new TestGateway(stranger, pki.caCertificate());
        assertThatThrownBy(() -> gateway.get(wms.baseUrl() + "/api/v1/health")).isInstanceOf(IOException.class);
    }

    @Test
    void refreshesTokensUntilTheyExpire() throws Exception {
        start(WmsSandbox.builder(pki).tokenLifetime(Duration.ofMinutes(5)));
        JsonNode registration = gateway.register(wms, "acme", "gw-01");
        String url = wms.baseUrl() + "/api/v1/gateways/gw-01/token";

        HttpResponse<String> refreshed = gateway.post(url, registration.get("token").asText(), "application/json", "{}");
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode fresh = TestGateway.MAPPER.readTree(refreshed.body());
        assertThat(fresh.get("token").asText()).isNotEqualTo(registration.get("token").asText());
        assertThat(fresh.get("tokenExpiresAt").asLong()).isGreaterThanOrEqualTo(registration.get("tokenExpiresAt").asLong());

        assertThat(gateway.post(url, "made-up", "application/json", "{}").statusCode()).isEqualTo(401);
        assertThat(gateway.post(wms.baseUrl() + "/api/v1/gateways/gw-02/token", fresh.get("token").asText(), "application/json", "{}")
                .statusCode()).isEqualTo(401);
        wms.expireTokensNow();
        HttpResponse<String> expired = gateway.post(url, fresh.get("token").asText(), "application/json", "{}");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void servesTheCrlAndHealthAndHonoursRefusals() throws Exception {
        start(WmsSandbox.builder(pki));
        HttpResponse<String> crlResponse = gateway.get(wms.baseUrl() + "/api/v1/pki/crl");
        assertThat(crlResponse.statusCode()).isEqualTo(200);
        assertThat(crlResponse.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pkix-crl"));
        X509CRL crl = PemIo.parseCrl(crlResponse.body());
        crl.verify(pki.caCertificate().getPublicKey());

        HttpResponse<String> health = gateway.get(wms.baseUrl() + "/api/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestGateway.MAPPER.readTree(health.body()).get("status").asText()).isEqualTo("ok");

        wms.refuse(503, 7, Route.HEALTH);
        HttpResponse<String> refused = gateway.get(wms.baseUrl() + "/api/v1/health");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(gateway.register(wms, "acme", "gw-01").has("token")).isTrue();

        wms.refuse(429, 3, Route.REGISTER);
        HttpResponse<String> tooMany = gateway.post(wms.baseUrl() + "/api/v1/gateways/register", null, "application/json",
                TestGateway.registerBody("acme", "gw-01", 1));
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).hasValue("3");
        wms.stopRefusing();
        assertThat(gateway.get(wms.baseUrl() + "/api/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void renewsTheCertificateBySigningTheCsr() throws Exception {
        start(WmsSandbox.builder(pki));
        String token = gateway.register(wms, "acme", "gw-01").get("token").asText();
        String url = wms.baseUrl() + "/api/v1/gateways/gw-01/certificate";
        KeyPair next = ecKeyPair();

        HttpResponse<String> response = gateway.post(url, token, "application/pkcs10", csr(next, "CN=gw-01, O=acme"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/pem-certificate-chain"));
        List<X509Certificate> chain = PemIo.parseCertificates(response.body());
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(next.getPublic());
        assertThat(leaf.getSubjectX500Principal()).isEqualTo(pki.gatewayCertificate().certificate().getSubjectX500Principal());
        leaf.verify(pki.caCertificate().getPublicKey());
        assertThat(wms.renewedCertificates()).containsExactly(leaf);

        assertThat(gateway.post(url, token, "application/pkcs10", csr(ecKeyPair(), "CN=gw-99, O=acme")).statusCode()).isEqualTo(400);
        assertThat(gateway.post(url, "bad", "application/pkcs10", csr(ecKeyPair(), "CN=gw-01, O=acme")).statusCode()).isEqualTo(401);

        wms.setRenewalFault(RenewalFault.WRONG_KEY);
        KeyPair another = ecKeyPair();
        X509Certificate wrong = PemIo.parseCertificates(gateway.post(url, token, "application/pkcs10", csr(another, "CN=gw-01, O=acme")).body()).get(0);
        assertThat(wrong.getPublicKey()).isNotEqualTo(another.getPublic());
        wms.setRenewalFault(RenewalFault.SERVER_ERROR);
        assertThat(gateway.post(url, token, "application/pkcs10", csr(ecKeyPair(), "CN=gw-01, O=acme")).statusCode()).isEqualTo(500);
    }

    @Test
    void acceptsBatchesOverHttps() throws Exception {
        start(WmsSandbox.builder(pki));
        String token = gateway.register(wms, "acme", "gw-01").get("token").asText();
        String url = wms.baseUrl() + "/api/v1/gateways/gw-01/messages";
        String batch = "{\"type\":\"batch\",\"items\":[" + Messages.telemetry(1) + "," + Messages.telemetry(2) + "],\"dropped\":[[3,4]]}";

        HttpResponse<String> response = gateway.post(url, token, "application/json", batch);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode ack = TestGateway.MAPPER.readTree(response.body());
        assertThat(ack.get("type").asText()).isEqualTo("ack");
        assertThat(ack.get("upTo").asLong()).isEqualTo(4);
        assertThat(wms.receivedDurable("gw-01")).extracting(ReceivedMessage::seq).containsExactly(1L, 2L);
        assertThat(wms.receivedDurable("gw-01", 1).via()).isEqualTo("https");

        assertThat(gateway.post(url, token, "application/json", "{\"type\":\"telemetry\"}").statusCode()).isEqualTo(400);
        assertThat(gateway.post(url, null, "application/json", batch).statusCode()).isEqualTo(401);
    }

    @Test
    void tls12OnlyServerIsUnreachableForATls13Client() throws Exception {
        start(WmsSandbox.builder(pki).tls12Only(true));
        assertThatThrownBy(() -> gateway.get(wms.baseUrl() + "/api/v1/health")).isInstanceOf(IOException.class);

        try (TestGateway legacy = new TestGateway(pki.gatewayCertificate(), pki.caCertificate(), "TLSv1.2")) {
            assertThat(legacy.get(wms.baseUrl() + "/api/v1/health").statusCode()).isEqualTo(200);
        }
        assertThat(wms.tlsObservations()).extracting(TlsObservation::protocol).containsExactly("TLSv1.2");
    }

    @Test
    void goesOfflineAndComesBackOnTheSamePort() throws Exception {
        start(WmsSandbox.builder(pki));
        int port = wms.port();
        wms.goOffline();
        assertThatThrownBy(() -> gateway.get(wms.baseUrl() + "/api/v1/health"))
                .isInstanceOfAny(ConnectException.class, IOException.class);
        wms.goOnline();
        assertThat(wms.port()).isEqualTo(port);
        assertThat(gateway.get(wms.baseUrl() + "/api/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void serverWithAnUntrustedCertificateFailsTheClientsValidation() throws Exception {
        start(WmsSandbox.builder(pki).serverCertificate(DevPki.untrustedServerCertificate()));
        assertThatThrownBy(() -> gateway.get(wms.baseUrl() + "/api/v1/health")).isInstanceOf(SSLException.class);
    }

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String csr(KeyPair pair, String subject) throws Exception {
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                X500Name.getInstance(new javax.security.auth.x500.X500Principal(subject).getEncoded()), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return PemIo.toPem(request);
    }
}
