package site.gateway.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Refuses a secret file (private key, passphrase) that others could read, as OpenSSH refuses an
 * unprotected private key: it must belong to the user the gateway runs as and grant nothing to group
 * or others. A file system without POSIX modes is not checked.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final String user;

    /** Checks against the user this JVM runs as. */
    public PrivateFiles() {
        this(System.getProperty("user.name"));
    }

    PrivateFiles(String user) {
        this.user = user;
    }

    /**
     * @param what what the file holds, for the message ("private key")
     * @throws CryptoException naming the file, its mode or owner and the fix
     */
    public void check(Path file, String what) throws CryptoException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        PosixFileAttributes attributes;
        try {
            attributes = view.readAttributes();
        } catch (IOException e) {
            return; // a missing or unreadable file is reported by the read that follows
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new CryptoException("UNPROTECTED " + what.toUpperCase(java.util.Locale.ROOT) + " FILE: permissions "
                    + octal(attributes.permissions()) + " (" + PosixFilePermissions.toString(attributes.permissions())
                    + ") for " + file + " are too open; it must not be accessible by group or others. The "
                    + what + " is refused until this is fixed: chmod 600 " + file);
        }
        String owner = attributes.owner().getName();
        if (user != null && !user.equals(owner)) {
            throw new CryptoException("The " + what + " file " + file + " is owned by '" + owner
                    + "', not by the user the gateway runs as ('" + user + "'); it is refused until this is fixed: chown "
                    + user + " " + file);
        }
    }

    /** Mode and owner of the file ("" when unknown), so that a change of either can be noticed. */
    static String protection(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return "";
        }
        try {
            PosixFileAttributes attributes = view.readAttributes();
            return octal(attributes.permissions()) + " " + attributes.owner().getName();
        } catch (IOException e) {
            return "";
        }
    }

    static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }
}
