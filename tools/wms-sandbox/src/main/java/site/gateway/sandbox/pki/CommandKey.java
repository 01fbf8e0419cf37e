package site.gateway.sandbox.pki;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;

/** An Ed25519 command-signing key; the gateway knows its public half as {@code <kid>.pem}. */
public record CommandKey(String kid, PublicKey publicKey, PrivateKey privateKey) {

    public static CommandKey generate(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new CommandKey(kid, pair.getPublic(), pair.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 not available in this JDK", e);
        }
    }
}
