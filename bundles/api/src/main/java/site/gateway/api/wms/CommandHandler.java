package site.gateway.api.wms;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: the transport gives every {@code command} message (§3.6) to the registered handler,
 * exactly as received, and sends back the reply it returns. Without a handler the transport answers
 * {@code command.ack} with {@code accepted: false, reason: unsupported-kind}.
 */
@ConsumerType
public interface CommandHandler {

    /**
     * Validates and queues the command. Returns the JSON message to send back at once: a
     * {@code command.ack}, or an {@code error} with code {@code invalid-command}. Must not block on a PLC.
     */
    String handle(String commandJson);
}
