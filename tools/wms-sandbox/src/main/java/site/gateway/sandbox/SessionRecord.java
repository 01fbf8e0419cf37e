package site.gateway.sandbox;

import java.time.Instant;
import java.util.List;

/**
 * One WebSocket session: negotiated subprotocol and extensions (e.g. "permessage-deflate"),
 * when it opened and closed, and the close code (0 while open).
 */
public record SessionRecord(String tenantId, String gatewayId, String sessionId, int node, String subprotocol,
                            List<String> extensions, Instant openedAt, Instant closedAt, int closeCode, String closeReason) {

    public boolean open() {
        return closedAt == null;
    }

    SessionRecord closed(int code, String reason) {
        return new SessionRecord(tenantId, gatewayId, sessionId, node, subprotocol, extensions, openedAt, Instant.now(), code, reason);
    }
}
