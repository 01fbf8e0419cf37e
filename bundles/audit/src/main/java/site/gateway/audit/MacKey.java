package site.gateway.audit;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that authenticates each trail entry (HMAC-SHA256 in its {@code mac} member), so that
 * someone who can write the trail but not read this file cannot rewrite entries and their chain
 * unnoticed. 32 random bytes in a file of its own, owner-only, created on first use. JDK only, like the
 * verifier. {@link #toString()} names the file, never the key.
 */
final class MacKey {
    static final int BYTES = 32;

    private final Path file;
    private final byte[] key;

    private MacKey(Path file, byte[] key) {
        this.file = file;
        this.key = key;
    }

    /** Reads the key; a missing file is an error (the verifier must not invent a key). */
    static MacKey load(Path file) throws IOException {
        byte[] key = Files.readAllBytes(file);
        if (key.length < BYTES) {
            throw new IOException(file + " holds " + key.length + " bytes; an audit MAC key has at least " + BYTES);
        }
        return new MacKey(file, key);
    }

    /** Reads the key, or creates it (owner-only) when the file does not exist yet. */
    static MacKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".audit-key", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the temp file is already private to the user on such systems
                }
                Files.write(tmp, key);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE); // never replaces a key made meanwhile
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return load(file);
    }

    /** An HMAC-SHA256 keyed with this key, for one thread (a Mac is not thread-safe; making one is not cheap). */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** HMAC-SHA256 of the text's UTF-8 bytes, hex, with a Mac from {@link #newMac()}. */
    static String mac(Mac mac, String text) {
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Compares in constant time. */
    static boolean verifies(Mac mac, String text, String macHex) {
        return MessageDigest.isEqual(mac(mac, text).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                macHex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    Path file() {
        return file;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MacKey k && k.file.equals(file) && Arrays.equals(k.key, key);
    }

    @Override
    public int hashCode() {
        return file.hashCode();
    }

    @Override
    public String toString() {
        return "MacKey[" + file + "]";
    }
}
