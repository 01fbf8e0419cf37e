package site.gateway.api.wms;

/**
 * A snapshot of the WMS session.
 *
 * @param state              where the session is
 * @param endpoint           base URL of the endpoint in use (or last tried), null if none
 * @param sessionId          from the registration, null before the first one
 * @param connectedSinceTs   when the current WebSocket opened, 0 when not connected
 * @param reconnects         WebSocket sessions opened after the first one since start
 * @param heartbeatIntervalSeconds from the registration response (default 10)
 * @param sentPerSecond      durable messages sent per second, recent average
 * @param lastFrameReceivedTs time of the last frame of any kind from the WMS, 0 if none
 * @param transport          how a connected session carries data: {@link #WEBSOCKET} or {@link #HTTPS_FALLBACK}
 *                           (protocol §2.6: batches over HTTPS, a mode of normal operation, not a fault); since 1.2
 * @param messagesResent     durable messages sent again since start: already sent once, then sent again after a
 *                           reconnect or resynchronisation because the WMS had not stored them; since 1.3
 * @param failovers          moves of the session to another endpoint since start (failover, failback, an endpoint
 *                           removed from the configuration); since 1.3
 * @param lastWmsHeartbeatTs when the last sign of life the WMS sends on purpose arrived (a §3.4 {@code heartbeat}, or
 *                           an answer over the §2.6 HTTPS fallback), by this gateway's clock, 0 if none; since 1.3. A
 *                           component that watches the WMS reads it when it wants, so one started late sees the
 *                           heartbeats that came before it (no event to wait for)
 */
public record SessionInfo(SessionState state, String endpoint, String sessionId, long connectedSinceTs,
        long reconnects, int heartbeatIntervalSeconds, double sentPerSecond, long lastFrameReceivedTs, String transport,
        long messagesResent, long failovers, long lastWmsHeartbeatTs) {

    /** The §3 WebSocket session. */
    public static final String WEBSOCKET = "websocket";
    /** The §2.6 HTTPS fallback: durable messages as batches over HTTPS while WebSocket upgrades are blocked. */
    public static final String HTTPS_FALLBACK = "https-fallback";

    public SessionInfo {
        transport = transport == null ? WEBSOCKET : transport;
    }

    /** The first 1.3 form: no time of the last WMS heartbeat (0). */
    public SessionInfo(SessionState state, String endpoint, String sessionId, long connectedSinceTs, long reconnects,
            int heartbeatIntervalSeconds, double sentPerSecond, long lastFrameReceivedTs, String transport,
            long messagesResent, long failovers) {
        this(state, endpoint, sessionId, connectedSinceTs, reconnects, heartbeatIntervalSeconds, sentPerSecond,
                lastFrameReceivedTs, transport, messagesResent, failovers, 0);
    }

    /** The 1.2 form: no counts of resends and failovers (0). */
    public SessionInfo(SessionState state, String endpoint, String sessionId, long connectedSinceTs, long reconnects,
            int heartbeatIntervalSeconds, double sentPerSecond, long lastFrameReceivedTs, String transport) {
        this(state, endpoint, sessionId, connectedSinceTs, reconnects, heartbeatIntervalSeconds, sentPerSecond,
                lastFrameReceivedTs, transport, 0, 0);
    }

    /** The 1.1 form: a WebSocket session. */
    public SessionInfo(SessionState state, String endpoint, String sessionId, long connectedSinceTs, long reconnects,
            int heartbeatIntervalSeconds, double sentPerSecond, long lastFrameReceivedTs) {
        this(state, endpoint, sessionId, connectedSinceTs, reconnects, heartbeatIntervalSeconds, sentPerSecond,
                lastFrameReceivedTs, WEBSOCKET);
    }

    /** True while connected over the HTTPS fallback (§2.6). */
    public boolean httpsFallback() {
        return state == SessionState.CONNECTED && HTTPS_FALLBACK.equals(transport);
    }

    /** For operators: {@code connected}, {@code connected over HTTPS fallback}, {@code connecting}, {@code disconnected}. */
    public String describe() {
        return httpsFallback() ? "connected over HTTPS fallback" : state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
