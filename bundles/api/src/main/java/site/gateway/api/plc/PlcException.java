package site.gateway.api.plc;

/** A read or write that could not be done; {@link #reason()} is short and fit for a command result. */
public class PlcException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason { UNKNOWN_PLC, UNKNOWN_TAG, UNREACHABLE, TIMEOUT, REJECTED_BY_PLC, INVALID_VALUE }

    private final Reason reason;

    public PlcException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PlcException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
