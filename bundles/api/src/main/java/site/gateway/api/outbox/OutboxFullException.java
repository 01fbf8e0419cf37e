package site.gateway.api.outbox;

/** Thrown by {@link Outbox#append} when the buffer is full and its policy is {@code reject-new}. */
public class OutboxFullException extends Exception {
    private static final long serialVersionUID = 1L;

    public OutboxFullException(String message) {
        super(message);
    }
}
