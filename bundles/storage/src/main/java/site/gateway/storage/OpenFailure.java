package site.gateway.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Why a store could not be opened, and whether that makes its file corrupt. Only a real format or
 * checksum failure sets a file aside: a lock held by another process, an I/O error, a full disk or a
 * permission problem leaves the file alone (it is very likely healthy) and is retried.
 */
final class OpenFailure {
    private OpenFailure() {
    }

    /** True when the file itself is unreadable as a buffer: corrupt, truncated or of a foreign format. */
    static boolean isCorruption(Throwable e) {
        if (e instanceof MVStoreException m) {
            return switch (m.getErrorCode()) {
                case DataUtils.ERROR_FILE_CORRUPT, DataUtils.ERROR_UNSUPPORTED_FORMAT, DataUtils.ERROR_CHUNK_NOT_FOUND,
                        DataUtils.ERROR_BLOCK_NOT_FOUND, DataUtils.ERROR_SERIALIZATION,
                        DataUtils.ERROR_UNKNOWN_DATA_TYPE -> true;
                // MVStore reports a read past the end of the file (a truncated file) as a reading failure
                // caused by EOFException; any other reading failure is an I/O error.
                case DataUtils.ERROR_READING_FAILED -> hasCause(m, EOFException.class)
                        || !hasCause(m, IOException.class);
                default -> false;
            };
        }
        // Our own records (meta, values) that do not decode.
        return e instanceof StoreFormatException || e instanceof BufferUnderflowException
                || e instanceof IndexOutOfBoundsException || e instanceof NegativeArraySizeException;
    }

    /** True when another process (a second gateway on the same home) holds the file. */
    static boolean isLocked(Throwable e) {
        return e instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED
                || hasCause(e, java.nio.channels.OverlappingFileLockException.class);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Describes a failure that keeps the file, for the log and the alert. */
    static String describe(java.nio.file.Path directory, Throwable e) {
        if (isLocked(e)) {
            return "the buffer file in " + directory + " is locked by another process: is a second gateway running"
                    + " with the same home? This gateway does not start its buffer while the file is in use";
        }
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        return "the buffer in " + directory + " cannot be opened (" + cause + "); the file is kept, not set aside";
    }
}
