package site.gateway.transport;

import java.net.URI;

/**
 * A successful registration (§2.1) on one endpoint, with the token as last refreshed (§2.2).
 *
 * @param tokenIssuedAt when this gateway received the current token (its lifetime starts there)
 */
record Registration(URI endpoint, String sessionId, String token, long tokenIssuedAt, long tokenExpiresAt,
        int heartbeatIntervalSeconds, URI websocketUrl, long lastReceivedSeq) {

    static final int DEFAULT_HEARTBEAT_S = 10;
    /**
     * Bounds of the WMS's {@code heartbeatIntervalSeconds}: the half-open watch declares a silent connection dead
     * after 3 intervals (§3.4), so a huge interval would hide a dead WMS for hours (RNF-003: recovery within
     * 30 s); 0 or a negative value would make the gateway flood the WMS. 30 s still detects a WMS that sends
     * every 60 s correctly (dead after 90 s of silence).
     */
    static final int MIN_HEARTBEAT_S = 1;
    static final int MAX_HEARTBEAT_S = 30;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Registration.class);

    static int clampHeartbeat(int asked) {
        if (asked <= 0) {
            LOG.warn("The WMS gave heartbeatIntervalSeconds {}: using the default {} s", asked, DEFAULT_HEARTBEAT_S);
            return DEFAULT_HEARTBEAT_S;
        }
        int used = Math.max(MIN_HEARTBEAT_S, Math.min(MAX_HEARTBEAT_S, asked));
        if (used != asked) {
            LOG.warn("The WMS gave heartbeatIntervalSeconds {}: using {} s (bounds {}..{})", asked, used, MIN_HEARTBEAT_S,
                    MAX_HEARTBEAT_S);
        }
        return used;
    }

    Registration withToken(String newToken, long issuedAt, long expiresAt) {
        return new Registration(endpoint, sessionId, newToken, issuedAt, expiresAt, heartbeatIntervalSeconds, websocketUrl,
                lastReceivedSeq);
    }

    /** The WebSocket URL: as given by the WMS, or {@code {base}/api/v1/gateways/{gatewayId}/ws}. */
    URI webSocketUri(String gatewayId) {
        if (websocketUrl != null) {
            return websocketUrl;
        }
        String base = endpoint.toString().replaceFirst("^https", "wss");
        return URI.create(base + "/api/v1/gateways/" + gatewayId + "/ws");
    }

    /** When to refresh: after {@code fraction} of the lifetime; never sooner than 1 s from now. */
    long refreshAt(double fraction, long nowMs) {
        if (tokenExpiresAt <= tokenIssuedAt) {
            return Long.MAX_VALUE; // no expiry given: the WMS will say 4401 or 401 when needed
        }
        long at = tokenIssuedAt + (long) ((tokenExpiresAt - tokenIssuedAt) * fraction);
        return Math.max(at, nowMs + 1000);
    }
}
