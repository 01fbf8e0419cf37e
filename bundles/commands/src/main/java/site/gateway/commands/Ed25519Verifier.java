package site.gateway.commands;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032) verification with BouncyCastle's lightweight API. The key is taken from its X.509
 * encoding, so a key from any provider (JDK, BC) works and no JCA provider needs registering in OSGi.
 */
final class Ed25519Verifier {
    /** SubjectPublicKeyInfo header of an Ed25519 key (OID 1.3.101.112), followed by the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Verifier() {
    }

    /** The key as BC parameters, empty when it is not an Ed25519 public key. */
    static Optional<Ed25519PublicKeyParameters> ed25519(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != SPKI_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return Optional.empty();
        }
        return Optional.of(new Ed25519PublicKeyParameters(encoded, SPKI_PREFIX.length));
    }

    static boolean verify(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
