package site.gateway.commands;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.commands.jcs.JsonCanonicalizer;

/**
 * Checks the envelope of a {@code command} message: JSON, identifiers, timestamps, {@code kid} and
 * {@code sig}; and computes the bytes the signature covers. Kind-specific payloads are checked later,
 * once the command is known to be authentic (see {@link PayloadValidator}).
 */
final class CommandParser {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Integers beyond 2^53 are not allowed in commands (protocol conventions). */
    private static final long MAX_SAFE_INTEGER = (1L << 53);

    private CommandParser() {
    }

    /** Parses the message; anything that is not a JSON object has no usable commandId. */
    static JsonNode readTree(String json) throws UnusableCommand {
        JsonNode root;
        try {
            root = JsonCanonicalizer.parse(json);
        } catch (JsonProcessingException e) {
            throw new UnusableCommand("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UnusableCommand("not a JSON object");
        }
        return root;
    }

    static String commandId(JsonNode root) throws UnusableCommand {
        JsonNode id = root.get("commandId");
        if (id == null || !id.isTextual() || !ID.matcher(id.textValue()).matches()) {
            throw new UnusableCommand("no usable commandId");
        }
        return id.textValue();
    }

    /** The envelope, or {@code invalid-payload} when a field is missing or malformed. */
    static Command envelope(JsonNode root, String commandId) throws Rejection {
        if (!"command".equals(text(root, "type"))) {
            throw invalid("type is not 'command'");
        }
        String tenantId = identifier(root, "tenantId");
        String gatewayId = identifier(root, "gatewayId");
        String plcId = identifier(root, "plcId");
        String kid = identifier(root, "kid");
        String kind = text(root, "kind");
        if (kind == null || kind.isEmpty()) {
            throw invalid("kind missing");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || !payload.isObject()) {
            throw invalid("payload missing or not an object");
        }
        long issuedAt = timestamp(root, "issuedAt");
        long expiresAt = timestamp(root, "expiresAt");
        String sigText = text(root, "sig");
        if (sigText == null) {
            throw invalid("sig missing");
        }
        byte[] sig;
        try {
            sig = Base64Url.decode(sigText);
        } catch (IllegalArgumentException e) {
            throw invalid("sig is not base64url: " + e.getMessage());
        }
        byte[] signed;
        try {
            ObjectNode unsigned = ((ObjectNode) root).deepCopy();
            unsigned.remove("sig");
            signed = JsonCanonicalizer.canonicalize(unsigned);
        } catch (IllegalArgumentException e) {
            throw invalid("not canonicalisable: " + e.getMessage());
        }
        return new Command(commandId, tenantId, gatewayId, plcId, kind, payload, issuedAt, expiresAt, kid, sig, signed);
    }

    private static Rejection invalid(String detail) {
        return new Rejection(Reason.INVALID_PAYLOAD, detail);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String identifier(JsonNode root, String field) throws Rejection {
        String value = text(root, field);
        if (value == null || !ID.matcher(value).matches()) {
            throw invalid(field + " missing or not [A-Za-z0-9._-]{1,64}");
        }
        return value;
    }

    private static long timestamp(JsonNode root, String field) throws Rejection {
        JsonNode node = root.get(field);
        if (node == null || !node.isNumber()) {
            throw invalid(field + " missing or not a number");
        }
        // An integral literal is checked exactly; 1.764e12 is an integer too, written differently.
        boolean integral = node.isIntegralNumber() ? node.canConvertToLong()
                : node.doubleValue() == Math.rint(node.doubleValue());
        long value = integral ? node.longValue() : -1;
        if (!integral || value < 0 || value > MAX_SAFE_INTEGER) {
            throw invalid(field + " is not an integer in [0, 2^53]");
        }
        return value;
    }
}
