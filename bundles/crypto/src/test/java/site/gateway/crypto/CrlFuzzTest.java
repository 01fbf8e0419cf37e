package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CRLException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Issue 16.5: a CRL comes from a file or from the WMS (§2.7), PEM or DER. Whatever the bytes,
 * {@link PemCodec#crl} returns a CRL or refuses with a {@link CRLException}, which keeps the previous CRL
 * in force; any other exception would escape that handling. Seeds:
 * {@code src/test/resources/site/gateway/crypto/CrlFuzzTestInputs/}; {@link FuzzHarnessTest} feeds
 * generated CRLs, PEM and DER, through the same check.
 */
class CrlFuzzTest {
    private static final PemCodec CODEC = new PemCodec();

    @FuzzTest(maxDuration = "5s")
    void anyBytesAreReadAsACrlOrRefusedWithACrlException(byte[] input) {
        check(input);
    }

    static boolean check(byte[] bytes) {
        try {
            assertThat(CODEC.crl(bytes).getIssuerX500Principal()).isNotNull();
            return true;
        } catch (CRLException refused) {
            return false;
        }
    }
}
