package site.gateway.commands;

/** A command refused with a {@link Reason}; {@code detail} is for logs and audit, never sent to the WMS. */
final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    Rejection(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }

    String detail() {
        return getMessage();
    }
}
