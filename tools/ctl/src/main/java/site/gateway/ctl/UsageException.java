package site.gateway.ctl;

/** A command line that cannot be run: the message says why, the command's help follows it. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
