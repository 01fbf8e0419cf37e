package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import site.gateway.sandbox.jcs.Jcs;
import site.gateway.sandbox.pki.CommandKey;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs commands as protocol §3.6 says: Ed25519 over the UTF-8 bytes of the RFC 8785 form of the
 * command without its {@code sig} member; {@code sig} is base64url without padding.
 */
public final class CommandSigner {

    private final CommandKey key;

    public CommandSigner(CommandKey key) {
        this.key = key;
    }

    public String kid() {
        return key.kid();
    }

    /** A signed copy: {@code kid} set to this key's when absent, {@code sig} (re)computed. */
    public ObjectNode sign(ObjectNode command) {
        ObjectNode signed = command.deepCopy();
        if (!signed.hasNonNull("kid")) {
            signed.put("kid", key.kid());
        }
        signed.remove("sig");
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key.privateKey());
            signature.update(Jcs.canonicalizeToUtf8(signed));
            signed.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign()));
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign command", e);
        }
    }

    /** The bytes that are signed: RFC 8785 canonical UTF-8 of the command without {@code sig}. */
    public static byte[] signingInput(JsonNode command) {
        ObjectNode copy = (ObjectNode) command.deepCopy();
        copy.remove("sig");
        return Jcs.canonicalizeToUtf8(copy);
    }

    /** Reference verification (padding in {@code sig} tolerated); false on any malformation. */
    public static boolean verify(JsonNode command, PublicKey publicKey) {
        JsonNode sig = command.get("sig");
        if (sig == null || !sig.isTextual()) {
            return false;
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(sig.textValue().replace("=", ""));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(publicKey);
            signature.update(signingInput(command));
            return signature.verify(raw);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
