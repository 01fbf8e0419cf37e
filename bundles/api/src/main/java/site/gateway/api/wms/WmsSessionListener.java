package site.gateway.api.wms;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: told about the session's life. Called on transport threads; must return quickly. A listener
 * added while a session is open is told {@link #connected} at once, so it never waits for the next session.
 */
@ConsumerType
public interface WmsSessionListener {

    /** The session is synchronised (after {@code welcome}) and ready for non-durable messages. */
    default void connected(SessionInfo info) {
    }

    /** The WebSocket closed or failed; {@code reason} says why. */
    default void disconnected(SessionInfo info, String reason) {
    }

    /**
     * A {@code heartbeat} message arrived from the WMS with its {@code ts}. A listener that keeps time with the WMS
     * reads {@link SessionInfo#lastWmsHeartbeatTs()} instead: it also knows the heartbeats that came before it started.
     */
    default void wmsHeartbeat(long ts) {
    }
}
