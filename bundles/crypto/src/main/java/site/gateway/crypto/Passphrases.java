package site.gateway.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads the key passphrase from a file, or from a systemd credential when the configured value is
 * {@code credential:<name>} ({@code $CREDENTIALS_DIRECTORY/<name>}). The passphrase never leaves this
 * class as a String, so it cannot end up in a log line by accident.
 */
public final class Passphrases {
    static final String CREDENTIAL_PREFIX = "credential:";

    private final GatewayPaths paths;
    private final Function<String, String> env;
    private final PrivateFiles privateFiles;

    public Passphrases(GatewayPaths paths, Function<String, String> env) {
        this(paths, env, new PrivateFiles());
    }

    public Passphrases(GatewayPaths paths, Function<String, String> env, PrivateFiles privateFiles) {
        this.paths = paths;
        this.env = env;
        this.privateFiles = privateFiles;
    }

    /** The file the passphrase is read from (for change detection). */
    public Path location(String configured) throws CryptoException {
        String value = configured == null ? "" : configured.trim();
        if (value.startsWith(CREDENTIAL_PREFIX)) {
            String name = value.substring(CREDENTIAL_PREFIX.length());
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new CryptoException("Invalid systemd credential name in keyPassphraseFile: '" + name + "'");
            }
            String dir = env.apply("CREDENTIALS_DIRECTORY");
            if (dir == null || dir.isBlank()) {
                throw new CryptoException("keyPassphraseFile names systemd credential '" + name
                        + "' but $CREDENTIALS_DIRECTORY is not set (add LoadCredential= to the service unit)");
            }
            return Path.of(dir).resolve(name);
        }
        if (value.isEmpty()) {
            throw new CryptoException("keyPassphraseFile is empty");
        }
        return paths.resolve(value);
    }

    /** True for {@code credential:<name>}: systemd keeps such files private to the service. */
    public static boolean isCredential(String configured) {
        return configured != null && configured.trim().startsWith(CREDENTIAL_PREFIX);
    }

    /**
     * The passphrase, without a trailing line break. The caller clears the array after use. A passphrase
     * file that group or others can read, or that another user owns, is refused.
     */
    public char[] read(String configured) throws CryptoException {
        Path file = location(configured);
        if (!isCredential(configured)) {
            privateFiles.check(file, "key passphrase");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CryptoException("Cannot read the key passphrase file " + file + ": " + e.getClass().getSimpleName());
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            int end = chars.limit();
            while (end > 0 && (chars.get(end - 1) == '\n' || chars.get(end - 1) == '\r')) {
                end--;
            }
            char[] result = new char[end];
            chars.get(result, 0, end);
            Arrays.fill(chars.array(), '\0');
            if (result.length == 0) {
                throw new CryptoException("The key passphrase file " + file + " is empty");
            }
            return result;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
