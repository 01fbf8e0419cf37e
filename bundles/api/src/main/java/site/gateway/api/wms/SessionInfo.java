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
 */
public record SessionInfo(SessionState state, String endpoint, String sessionId, long connectedSinceTs,
        long reconnects, int heartbeatIntervalSeconds, double sentPerSecond, long lastFrameReceivedTs) {
}
