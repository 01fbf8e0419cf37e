package site.gateway.sandbox.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevPkiTest {

    @Test
    void writesTheDocumentedLayoutAndReadsItBack(@TempDir Path dir) throws Exception {
        DevPki pki = DevPki.generate("acme", "gw-01");
        PkiFiles files = pki.writeTo(dir, "s3cret".toCharArray());

        for (Path file : List.of(files.caCertificate(), files.crl(), files.gatewayCertificate(), files.gatewayKey(),
                files.gatewayKeyPassphrase(), files.commandPublicKey(), files.caKey(), files.serverCertificate(),
                files.serverKey(), files.commandPrivateKey())) {
            assertThat(file).exists();
        }
        assertThat(files.commandPublicKey()).isEqualTo(dir.resolve("command-keys/wms-cmd-1.pem"));
        for (Path secret : List.of(files.gatewayKey(), files.gatewayKeyPassphrase(), files.caKey(), files.serverKey(), files.commandPrivateKey())) {
            assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        assertThat(Files.readString(files.gatewayKey())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(files.gatewayKeyPassphrase())).isEqualTo("s3cret");

        PrivateKeyCheck.assertMatches(PemIo.readEncryptedPrivateKey(files.gatewayKey(), "s3cret".toCharArray(), "EC"),
                pki.gatewayCertificate().certificate());
        assertThatThrownBy(() -> PemIo.readEncryptedPrivateKey(files.gatewayKey(), "wrong".toCharArray(), "EC"))
                .isInstanceOf(PkiException.class);

        DevPki loaded = DevPki.load(dir);
        assertThat(loaded.tenantId()).isEqualTo("acme");
        assertThat(loaded.gatewayId()).isEqualTo("gw-01");
        assertThat(loaded.caCertificate()).isEqualTo(pki.caCertificate());
        assertThat(loaded.commandKey().kid()).isEqualTo("wms-cmd-1");
        assertThat(loaded.commandKey().publicKey()).isEqualTo(pki.commandKey().publicKey());
        PrivateKeyCheck.assertMatches(loaded.serverCertificate().privateKey(), pki.serverCertificate().certificate());
    }

    @Test
    void gatewayCertificateCarriesTheIdentityAndChainsToTheCa() throws Exception {
        DevPki pki = DevPki.generate("acme", "gw-01");
        X509Certificate gateway = pki.gatewayCertificate().certificate();
        assertThat(gateway.getSubjectX500Principal().getName()).isEqualTo("CN=gw-01,O=acme");
        assertThat(SubjectNames.tenantAndGateway(gateway)).containsExactly("acme", "gw-01");
        assertThat(gateway.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        validate(pki.caCertificate(), gateway);

        X509Certificate server = pki.serverCertificate().certificate();
        assertThat(server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList()).contains("localhost", "127.0.0.1");
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        validate(pki.caCertificate(), server);
    }

    @Test
    void revocationIssuesANewSignedCrl() throws Exception {
        DevPki pki = DevPki.generate("acme", "gw-01");
        X509CRL before = pki.crl();
        before.verify(pki.caCertificate().getPublicKey());
        assertThat(before.getRevokedCertificates()).isNull();
        assertThat(before.getNextUpdate()).isInTheFuture();

        X509CRL after = pki.revoke(pki.serverCertificate().certificate());
        after.verify(pki.caCertificate().getPublicKey());
        assertThat(after.isRevoked(pki.serverCertificate().certificate())).isTrue();
        assertThat(after.isRevoked(pki.gatewayCertificate().certificate())).isFalse();
        assertThat(after.getThisUpdate()).isAfterOrEqualTo(before.getThisUpdate());
        assertThat(pki.crl()).isSameAs(after);
    }

    @Test
    void oddCertificatesForTests() {
        DevPki pki = DevPki.generate("acme", "gw-01");
        assertThat(pki.issueExpiredServerCertificate().certificate().getNotAfter()).isInThePast();
        assertThatThrownBy(() -> validate(pki.caCertificate(), DevPki.untrustedServerCertificate().certificate()))
                .isInstanceOf(Exception.class);
        IssuedCertificate wrongHost = pki.issueServerCertificateForHost("wms.example");
        assertThat(wrongHost.certificate().getSubjectX500Principal().getName()).startsWith("CN=wms.example");
    }

    @Test
    void commandKeyIsEd25519() throws Exception {
        CommandKey key = DevPki.generate("acme", "gw-01").commandKey();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key.publicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(sig)).isTrue();
        assertThat(key.publicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
    }

    private static void validate(X509Certificate anchor, X509Certificate leaf) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}
