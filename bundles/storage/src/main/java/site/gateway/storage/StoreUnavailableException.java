package site.gateway.storage;

import java.io.IOException;

/**
 * The buffer cannot be opened now, for a reason that does not make its file corrupt (locked by
 * another process, I/O error, full disk, permissions). The file is kept; opening is retried.
 */
public final class StoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean locked;

    StoreUnavailableException(String message, Throwable cause, boolean locked) {
        super(message, cause);
        this.locked = locked;
    }

    /** True when another process holds the file (a second gateway on the same home). */
    public boolean locked() {
        return locked;
    }
}
