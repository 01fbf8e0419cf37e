package site.gateway.transport;

import java.util.EnumSet;
import java.util.Set;

import site.gateway.api.wms.SessionState;

/**
 * The session's phases and the moves between them. WAITING is the backoff between attempts; an attempt
 * goes REGISTERING (register or token refresh) → CONNECTING (upgrade) → SYNCING (hello sent) →
 * CONNECTED (welcome received), or to FALLBACK (§2.6) when upgrades keep failing while HTTPS works.
 */
enum Phase {
    STOPPED, WAITING, REGISTERING, CONNECTING, SYNCING, CONNECTED, FALLBACK;

    private Set<Phase> next;

    static {
        STOPPED.next = EnumSet.of(WAITING);
        WAITING.next = EnumSet.of(REGISTERING, CONNECTING, STOPPED);
        REGISTERING.next = EnumSet.of(CONNECTING, WAITING, REGISTERING, STOPPED);
        CONNECTING.next = EnumSet.of(SYNCING, FALLBACK, WAITING, STOPPED);
        SYNCING.next = EnumSet.of(CONNECTED, WAITING, STOPPED);
        CONNECTED.next = EnumSet.of(WAITING, STOPPED);
        FALLBACK.next = EnumSet.of(WAITING, STOPPED);
    }

    boolean canMoveTo(Phase target) {
        return next.contains(target);
    }

    SessionState sessionState() {
        return switch (this) {
            case CONNECTED, FALLBACK -> SessionState.CONNECTED;
            case REGISTERING, CONNECTING, SYNCING -> SessionState.CONNECTING;
            case STOPPED, WAITING -> SessionState.DISCONNECTED;
        };
    }
}
