package site.gateway.api.wms;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Marker service: registered by the transport while a WMS session is open (synchronised after
 * {@code welcome}), unregistered when it closes — in the style of Felix's {@code SystemReady}. A component
 * that needs the session references it (dynamic, greedy, optional): it is bound at once when it starts
 * while a session is already open, so whatever starts late sees the current state instead of waiting for an
 * event it missed. A new registration per session: an unbind followed by a bind is a reconnection.
 */
@ProviderType
public interface WmsSessionOpen {

    /** Service property ({@code Long}): the value of {@link #tlsGeneration()}. @since 1.3 */
    String TLS_GENERATION = "tlsGeneration";

    /** The session as it was when it opened (state {@code CONNECTED}, its endpoint, sessionId and since when). */
    SessionInfo opened();

    /**
     * Why the session closed, set just before the service is unregistered (so an unbind can read it);
     * null while the session is open.
     */
    String closeReason();

    /**
     * True when the gateway closed the session on purpose to open a new one at once (renewed certificate,
     * re-register asked by the WMS, failback to a preferred endpoint) or to stop: the WMS did not go away.
     * Valid once {@link #closeReason()} is set.
     */
    boolean closedOnPurpose();

    /**
     * The TLS context generation ({@code TlsContextProvider.generation()}) the session's connections were made
     * with, so that certificate rotation knows whether a pair on trial carried it (§5); 0 when not known.
     * @since 1.3
     */
    default long tlsGeneration() {
        return 0;
    }
}
