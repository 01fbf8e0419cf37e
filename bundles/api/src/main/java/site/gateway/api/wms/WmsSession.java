package site.gateway.api.wms;

import org.osgi.annotation.versioning.ProviderType;

/** The live session with the WMS, offered by the transport. */
@ProviderType
public interface WmsSession {

    SessionInfo info();

    /**
     * Sends a non-durable message (heartbeat, status, dropped) if the WebSocket is open and synchronised.
     * Returns false when it was not sent; the caller decides whether that matters.
     */
    boolean send(String json);
}
