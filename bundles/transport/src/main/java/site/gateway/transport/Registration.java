package site.gateway.transport;

import java.net.URI;

/**
 * A successful registration (§2.1) on one endpoint, with the token as last refreshed (§2.2).
 *
 * @param tokenIssuedAt when this gateway received the current token (its lifetime starts there)
 */
record Registration(URI endpoint, String sessionId, String token, long tokenIssuedAt, long tokenExpiresAt,
        int heartbeatIntervalSeconds, URI websocketUrl, long lastReceivedSeq) {

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
