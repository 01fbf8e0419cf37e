package site.gateway.transport;

import java.util.List;
import java.util.Map;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.status.Alert;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.WmsSessionListener;

/** What the session needs from the rest of the gateway; the component gives the OSGi services, tests their own. */
interface TransportEnv {
    Outbox outbox();

    TlsContextProvider tls();

    String gatewayId();

    StatusSnapshot status();

    void alert(Alert alert);

    void audit(String actor, String action, String target, String outcome, Map<String, Object> details);

    /** The registered command handler, or null. */
    CommandHandler commandHandler();

    List<WmsSessionListener> sessionListeners();

    /** The §2.1 register body. */
    byte[] registrationBody();

    /**
     * Whether the register body is complete: false while PLCs configured at start are not running yet. The
     * session waits for it, bounded by {@link SessionEngine#REGISTER_WAIT_MS} from its start.
     */
    default String registrationIncomplete() {
        return null;
    }

    /**
     * The session is synchronised: announce it (the {@code WmsSessionOpen} marker service), with the TLS context
     * generation its connections were made with.
     */
    default void sessionOpened(site.gateway.api.wms.SessionInfo info, long tlsGeneration) {
    }

    /**
     * The WMS judged the client certificate of connections made with TLS context {@code tlsGeneration}: accepted
     * (a registration succeeded) or refused for {@code reason}. Announced as the {@code WmsCertificateVerdict}
     * marker, which certificate rotation follows (§5): a pair on trial is confirmed or rolled back.
     */
    default void certificateVerdict(long tlsGeneration, boolean accepted, String reason) {
    }

    /**
     * The open session ended for {@code reason}: withdraw the announcement. {@code onPurpose}: closed by the
     * gateway to reconnect at once (renewed certificate, re-register, failback) or to stop, not lost.
     */
    default void sessionClosed(String reason, boolean onPurpose) {
    }
}
