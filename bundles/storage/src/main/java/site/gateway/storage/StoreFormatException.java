package site.gateway.storage;

/** A record of the buffer file that does not decode: the file is corrupt or of a foreign format. */
final class StoreFormatException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StoreFormatException(String message) {
        super(message);
    }
}
