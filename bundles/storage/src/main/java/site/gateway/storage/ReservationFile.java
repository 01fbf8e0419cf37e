package site.gateway.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny text file beside the store holding the highest seq ever reserved. It survives a store file
 * that has to be moved aside as corrupt, so a fresh store still never reuses a seq. Written to a
 * temporary file, forced, then atomically renamed.
 */
final class ReservationFile {
    static final String NAME = "seq.reserved";
    private static final Logger LOG = LoggerFactory.getLogger(ReservationFile.class);

    private final Path file;
    private long written;

    ReservationFile(Path directory) {
        this.file = directory.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** The reserved seq, 0 if the file is missing or unreadable. */
    long read() {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Unreadable seq reservation file {}: {}", file, e.toString());
            return 0;
        }
    }

    /** Records a higher reservation; lower values are ignored, so concurrent writers never move it back. */
    synchronized void raise(long reservedUpTo) throws IOException {
        if (reservedUpTo > written) {
            write(reservedUpTo);
        }
    }

    /** Sets the value even if lower: only on a clean close, when nothing above it was handed out. */
    synchronized void release(long reservedUpTo) throws IOException {
        write(reservedUpTo);
    }

    private void write(long reservedUpTo) throws IOException {
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((reservedUpTo + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
        written = reservedUpTo;
    }

    /**
     * Forces a directory's entries (a rename, a new file) to the device: without it a power cut can
     * bring back the old name. Not possible on every platform (Windows); there it is skipped.
     */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            LOG.debug("Cannot sync directory {}: {}", directory, e.toString());
        }
    }
}
