package site.gateway.transport;

import java.util.concurrent.CompletionException;

/**
 * What a failed WebSocket upgrade means (§3, §3.8, §2.6). An upgrade answered 401 asks for a new token, 403
 * refuses this gateway, 429/503 ask to come back later; a TLS failure is the same failure HTTPS would have.
 * Everything else — another status (a proxy's 400/405/501/502...), a reset or closed connection, no answer
 * in time, a proxy refusing the tunnel — is a path that blocks WebSockets, which the HTTPS fallback is for
 * once HTTPS is shown to work.
 */
enum UpgradeFailure {
    TOKEN, FORBIDDEN, RETRY_LATER, TLS, BLOCKED;

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    static UpgradeFailure of(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof WsDialer.UpgradeRefused refused) {
            return switch (refused.status) {
                case 401 -> TOKEN;
                case 403 -> FORBIDDEN;
                case 429, 503 -> RETRY_LATER;
                default -> BLOCKED;
            };
        }
        return Failures.tls(cause) != null ? TLS : BLOCKED;
    }
}
