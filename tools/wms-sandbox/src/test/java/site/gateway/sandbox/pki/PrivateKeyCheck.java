package site.gateway.sandbox.pki;

import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

final class PrivateKeyCheck {
    private PrivateKeyCheck() {
    }

    /** The key signs something the certificate's public key verifies. */
    static void assertMatches(PrivateKey key, X509Certificate certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {42});
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {42});
        assertThat(verifier.verify(sig)).isTrue();
    }
}
