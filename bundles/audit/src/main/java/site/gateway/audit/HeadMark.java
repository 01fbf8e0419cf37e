package site.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.crypto.Mac;

/**
 * The trail's high-water mark (issue 13): the seq and hash of the last entry forced to the device, in
 * a file of its own next to the trail's folder ({@code data/audit.head} for {@code data/audit}), with
 * an HMAC under the trail's key. Cutting the last entries off the trail leaves a valid chain, but not
 * one that reaches this mark: the writer notices at start, the verifier reports BROKEN. Written only
 * after the entries it names were forced, so a power loss cannot leave the mark ahead of the trail.
 */
final class HeadMark {
    /** A mark as read: {@code macValid} is false when the key does not verify it (edited or another key). */
    record Mark(long seq, String hash, boolean macValid) {
    }

    private final Path file;
    private final Mac mac;

    /** @param key null for a trail without MAC key (the mark then has no MAC either) */
    HeadMark(Path file, MacKey key) {
        this.file = file;
        this.mac = key == null ? null : key.newMac();
    }

    /** {@code data/audit} → {@code data/audit.head}: outside the folder, so removing the folder keeps it. */
    static Path beside(Path trailDirectory) {
        Path abs = trailDirectory.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".head");
    }

    Path file() {
        return file;
    }

    /** The mark, or null when there is none (a new trail, or one from before marks existed). */
    Mark read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
        String[] parts = text.split(" ");
        if (parts.length != 3) {
            return new Mark(-1, "", false);
        }
        try {
            long seq = Long.parseLong(parts[0]);
            // Without the key (a verifier run without --key) the MAC cannot be checked.
            boolean valid = mac == null || MacKey.verifies(mac, parts[0] + " " + parts[1], parts[2]);
            return new Mark(seq, parts[1], valid);
        } catch (NumberFormatException e) {
            return new Mark(-1, "", false);
        }
    }

    void write(long seq, String hash) throws IOException {
        String body = seq + " " + hash;
        String line = body + " " + (mac == null ? "-" : MacKey.mac(mac, body)) + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, line, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
