package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * The fuzz harnesses' checks on real material, generated here (no certificate is committed as a seed). In
 * the bundle's ordinary test JVM: the fuzz tests run in their own, with Jazzer's agent.
 */
class FuzzHarnessTest {
    private static final PemCodec CODEC = new PemCodec();

    @Test
    void pemHarnessReadsFreshCertificates() throws Exception {
        TestPki.Issued ca = TestPki.ca("fuzz-ca");
        String pem = CODEC.pem(ca.cert(), TestPki.server(ca, "localhost").cert());
        assertThat(PemFuzzTest.check(pem)).hasSize(2);
    }

    @Test
    void crlHarnessReadsFreshCrlsPemAndDer() throws Exception {
        TestPki.Issued ca = TestPki.ca("fuzz-crl-ca");
        Instant now = Instant.now();
        var crl = TestPki.crl(ca, now, now.plus(Duration.ofDays(1)), BigInteger.TEN);
        assertThat(CrlFuzzTest.check(TestPki.pem(crl))).isTrue();
        assertThat(CrlFuzzTest.check(crl.getEncoded())).isTrue();
    }
}
