package site.gateway.commands;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.crypto.CommandKeys;
import site.gateway.commands.jcs.JsonCanonicalizer;

/** A WMS signing key generated per test run (JDK Ed25519) and a CommandKeys holding its public half. */
final class TestSigner implements CommandKeys {
    final String kid;
    private final KeyPair pair;
    private final Map<String, PublicKey> published = new ConcurrentHashMap<>();

    TestSigner(String kid) {
        this.kid = kid;
        this.pair = generate();
        published.put(kid, pair.getPublic());
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    void publish(String otherKid, PublicKey key) {
        published.put(otherKid, key);
    }

    @Override
    public Optional<PublicKey> key(String id) {
        return Optional.ofNullable(published.get(id));
    }

    /** Sets {@code sig}: Ed25519 over the JCS form of the command without {@code sig}. */
    ObjectNode sign(ObjectNode command) {
        command.remove("sig");
        command.put("sig", Base64Url.encode(signature(JsonCanonicalizer.canonicalize(command))));
        return command;
    }

    private byte[] signature(byte[] bytes) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(bytes);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
