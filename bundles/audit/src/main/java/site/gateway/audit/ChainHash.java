package site.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash chain of the trail. {@code hash} is the SHA-256 (hex) of the line's UTF-8 bytes with the
 * {@code ,"hash":".."} member (and what follows it) removed; {@code prev} is the SHA-256 of the whole
 * previous line (without its newline), or 64 zeros for the first entry of a trail. With a {@link MacKey},
 * {@code mac} (last) is the HMAC-SHA256 of the same text as {@code hash}. Checks work on the raw text, so neither
 * the writer nor the verifier needs a JSON parser. Depends on the JDK only (the verifier runs with
 * this bundle's jar alone). One instance per thread.
 */
final class ChainHash {
    static final String GENESIS = "0".repeat(64);
    static final String HASH_MEMBER = ",\"hash\":\"";
    static final String MAC_MEMBER = ",\"mac\":\"";

    /** The fixed frame of an entry: ts and seq first, prev and hash (and mac) last. */
    private static final Pattern FRAME = Pattern.compile(
            "^\\{\"ts\":(-?\\d{1,19}),\"seq\":(\\d{1,19}),\"actor\":.*,\"prev\":\"([0-9a-f]{64})\",\"hash\":\"([0-9a-f]{64})\""
                    + "(?:,\"mac\":\"([0-9a-f]{64})\")?\\}$");

    /** A line taken apart by {@link #parse}; {@code mac} is null for an entry written without a key. */
    record Parsed(long ts, long seq, String prev, String hash, String mac, String withoutHash) {
    }

    private final MessageDigest sha256;

    ChainHash() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The chain fields of a line, or null when the line does not have the frame of an entry. */
    static Parsed parse(String line) {
        Matcher m = FRAME.matcher(line);
        if (!m.matches()) {
            return null;
        }
        try {
            return new Parsed(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3), m.group(4),
                    m.group(5), line.substring(0, line.lastIndexOf(HASH_MEMBER)) + "}");
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256.digest(bytes));
    }
}
