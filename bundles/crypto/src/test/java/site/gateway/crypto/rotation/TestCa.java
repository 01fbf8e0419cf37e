package site.gateway.crypto.rotation;

import java.io.IOException;
import java.io.StringReader;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.crypto.TestPki;

/** Plays the WMS side of §2.3: verifies the CSR and signs it with the test CA. */
final class TestCa implements CsrSubmitter {
    private final TestPki.Issued ca;
    final AtomicInteger requests = new AtomicInteger();
    volatile int failuresLeft;
    volatile boolean answerWithAnotherKey;
    volatile java.security.cert.X509Certificate lastIssued;

    TestCa(TestPki.Issued ca) {
        this.ca = ca;
    }

    @Override
    public String submitCsr(String csrPem) throws IOException {
        requests.incrementAndGet();
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new IOException("HTTP 503 from the WMS");
        }
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject());
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
                throw new IOException("HTTP 400: bad CSR signature");
            }
            if (!"EC".equals(csr.getPublicKey().getAlgorithm())) {
                throw new IOException("HTTP 400: not an EC key");
            }
            PublicKey key = answerWithAnotherKey ? TestPki.ecKeys().getPublic() : csr.getPublicKey();
            Instant now = Instant.now();
            lastIssued = TestPki.sign(ca, new javax.security.auth.x500.X500Principal(csr.getSubject().getEncoded()), key,
                    now.minusSeconds(60), now.plus(Duration.ofDays(30)), KeyPurposeId.id_kp_clientAuth);
            return TestPki.CODEC.pem(lastIssued, ca.cert());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
