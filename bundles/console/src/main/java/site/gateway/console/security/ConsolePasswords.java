package site.gateway.console.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Web console passwords in the hashed form the Felix web console 5 accepts in its {@code password}
 * property: {@code {sha-256}<hex salt>-<iterations>-<base64 of the digest>}, where the digest is
 * SHA-256 applied {@code iterations} times to the UTF-8 bytes of salt + password (Felix's
 * {@code Password} class; a test checks the two agree). The older unsalted form
 * {@code {sha-256}<base64 of SHA-256(password)>} is recognised too.
 */
public final class ConsolePasswords {
    /** The password Felix falls back to, and the one every scanner tries first: never accepted. */
    public static final String FORBIDDEN = "admin";
    /**
     * The value shipped in {@code conf/} and {@code etc/framework.properties}: a digest of the wrong length,
     * so no password matches it; it locks the console until the gateway replaces it at first start.
     */
    public static final String LOCKED = "{sha-256}00-1-locked";
    static final int ITERATIONS = 10_000;
    private static final String PREFIX = "{sha-256}";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsolePasswords() {
    }

    /** A random password of 24 characters without look-alikes (about 140 bits). */
    public static String generate() {
        char[] chars = new char[24];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    public static String hash(String password) {
        byte[] salt = new byte[8];
        RANDOM.nextBytes(salt);
        return hash(password, HexFormat.of().formatHex(salt), ITERATIONS);
    }

    static String hash(String password, String salt, int iterations) {
        return PREFIX + salt + "-" + iterations + "-" + Base64.getEncoder().encodeToString(digest(salt + password, iterations));
    }

    /** True when the configured value (clear text or hashed) accepts {@code candidate}. */
    public static boolean accepts(String configured, String candidate) {
        if (configured == null) {
            return false;
        }
        if (!configured.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
        }
        String[] parts = configured.substring(PREFIX.length()).split("-", 3);
        if (parts.length == 1) {
            // The older unsalted form {sha-256}<base64 of SHA-256(password)>, which the web console also
            // accepts, and in which it stores its built-in default (admin) when no password is configured.
            parts = new String[] {"", "1", parts[0]};
        }
        if (parts.length != 3) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (iterations < 1 || iterations > 10_000_000) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(parts[0] + candidate, iterations));
    }

    /** No password (Felix then uses admin), the shipped lock, or one that accepts the forbidden default. */
    public static boolean isMissingOrDefault(String configured) {
        return configured == null || configured.isBlank() || configured.trim().equals(LOCKED)
                || accepts(configured.trim(), FORBIDDEN);
    }

    private static byte[] digest(String text, int iterations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return bytes;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
