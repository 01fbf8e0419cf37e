package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Issue 16.5: the PEM files an operator puts into {@code certs/} (certificates, trust anchors, command
 * keys) are read by {@link PemCodec}. Whatever the bytes, it returns what it found or refuses with a
 * {@link CryptoException} whose message names the file, which the TLS component logs and alerts on while
 * keeping the last good material; any other exception would escape that handling. Seeds (no real
 * certificate or key is committed): {@code src/test/resources/site/gateway/crypto/PemFuzzTestInputs/};
 * {@link FuzzHarnessTest} feeds generated material through the same checks.
 */
class PemFuzzTest {
    private static final PemCodec CODEC = new PemCodec();

    @FuzzTest(maxDuration = "5s")
    void anyPemTextIsReadOrRefusedWithACryptoException(byte[] input) {
        check(new String(input, StandardCharsets.US_ASCII));
    }

    static List<X509Certificate> check(String text) {
        List<X509Certificate> certificates = List.of();
        try {
            certificates = CODEC.certificates(text, "certs/fuzz.pem");
            assertThat(certificates).isNotEmpty();
        } catch (CryptoException refused) {
            assertThat(refused.getMessage()).contains("certs/fuzz.pem");
        }
        try {
            assertThat(CODEC.ed25519PublicKey(text, "certs/fuzz-key.pem").getAlgorithm()).isIn("Ed25519", "EdDSA");
        } catch (CryptoException refused) {
            assertThat(refused.getMessage()).contains("certs/fuzz-key.pem");
        }
        return certificates;
    }
}
