package site.gateway.api.outbox;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: register as a service to hear about the outbox. Called on the appending thread;
 * implementations must return quickly and never call back into a blocking operation.
 */
@ConsumerType
public interface OutboxListener {

    /** A message was appended with this seq. */
    default void appended(long seq) {
    }

    /** Every seq up to {@code upTo} is now on disk and may be sent. */
    default void durable(long upTo) {
    }

    /** Messages in this range were discarded because the buffer was full. */
    default void dropped(SeqRange range) {
    }
}
