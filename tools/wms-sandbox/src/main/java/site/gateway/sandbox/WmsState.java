package site.gateway.sandbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The state that the nodes of one WMS share (protocol §4): ledgers, tokens, registrations, the
 * open session of each gateway, and everything recorded for tests.
 */
final class WmsState {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_NON_DURABLE = 100_000;

    record TokenGrant(String token, String tenantId, String gatewayId, String sessionId, long expiresAt) {
        boolean valid(long now) {
            return now < expiresAt;
        }
    }

    final int maxRetainedMessages;
    private final Map<String, GatewayLedger> ledgers = new ConcurrentHashMap<>();
    private final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();
    /** Latest token expiry per sessionId: a refresh extends the session (§2.2). */
    private final Map<String, Long> sessionExpiry = new ConcurrentHashMap<>();
    private final Map<String, GatewaySocket> openSockets = new ConcurrentHashMap<>();
    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedDeque<ReceivedMessage> nonDurable = new ConcurrentLinkedDeque<>();
    private final AtomicInteger nonDurableSize = new AtomicInteger();
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<SessionRecord> sessionRecords = new CopyOnWriteArrayList<>();
    volatile Duration tokenLifetime;
    private final Object changed = new Object();

    WmsState(Duration tokenLifetime, int maxRetainedMessages) {
        this.tokenLifetime = tokenLifetime;
        this.maxRetainedMessages = maxRetainedMessages;
    }

    static String key(String tenantId, String gatewayId) {
        return tenantId + "/" + gatewayId;
    }

    GatewayLedger ledger(String tenantId, String gatewayId) {
        return ledgers.computeIfAbsent(key(tenantId, gatewayId), k -> new GatewayLedger(tenantId, gatewayId, maxRetainedMessages));
    }

    /** The ledger of a gateway id under any tenant (tests usually have one), or null. */
    GatewayLedger ledgerOf(String gatewayId) {
        for (GatewayLedger ledger : ledgers.values()) {
            if (ledger.gatewayId.equals(gatewayId)) {
                return ledger;
            }
        }
        return null;
    }

    Collection<GatewayLedger> ledgers() {
        return ledgers.values();
    }

    // ---- tokens ----

    TokenGrant issueToken(String tenantId, String gatewayId, String sessionId) {
        long expiresAt = Instant.now().plus(tokenLifetime).toEpochMilli();
        TokenGrant grant = new TokenGrant(randomId(32), tenantId, gatewayId, sessionId, expiresAt);
        tokens.put(grant.token(), grant);
        sessionExpiry.merge(sessionId, expiresAt, Math::max);
        return grant;
    }

    /** A valid grant for the token, or null. */
    TokenGrant validGrant(String token) {
        if (token == null) {
            return null;
        }
        TokenGrant grant = tokens.get(token);
        return grant != null && grant.valid(System.currentTimeMillis()) ? grant : null;
    }

    boolean sessionExpired(String sessionId) {
        Long expiry = sessionExpiry.get(sessionId);
        return expiry == null || expiry <= System.currentTimeMillis();
    }

    void expireAllTokens() {
        long past = System.currentTimeMillis() - 1;
        tokens.replaceAll((token, grant) -> new TokenGrant(grant.token(), grant.tenantId(), grant.gatewayId(), grant.sessionId(), past));
        sessionExpiry.replaceAll((session, expiry) -> past);
        signal();
    }

    static String randomId(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    // ---- sessions ----

    /** Makes {@code socket} the gateway's session; returns the one it supersedes, if any. */
    GatewaySocket open(GatewaySocket socket) {
        GatewaySocket previous = openSockets.put(key(socket.tenantId, socket.gatewayId), socket);
        signal();
        return previous == socket ? null : previous;
    }

    void closed(GatewaySocket socket) {
        openSockets.remove(key(socket.tenantId, socket.gatewayId), socket);
        signal();
    }

    GatewaySocket socketOf(String gatewayId) {
        for (GatewaySocket socket : openSockets.values()) {
            if (socket.gatewayId.equals(gatewayId)) {
                return socket;
            }
        }
        return null;
    }

    Collection<GatewaySocket> sockets() {
        return openSockets.values();
    }

    // ---- recording ----

    void recordNonDurable(ReceivedMessage message) {
        nonDurable.add(message);
        if (nonDurableSize.incrementAndGet() > MAX_NON_DURABLE) {
            nonDurable.pollFirst();
            nonDurableSize.decrementAndGet();
        }
        signal();
    }

    void violation(String text) {
        violations.add(Instant.now() + " " + text);
        signal();
    }

    void replaceSessionRecord(SessionRecord old, SessionRecord updated) {
        int index = sessionRecords.indexOf(old);
        if (index >= 0) {
            sessionRecords.set(index, updated);
        } else {
            sessionRecords.add(updated);
        }
        signal();
    }

    List<SessionRecord> sessionRecords() {
        return new ArrayList<>(sessionRecords);
    }

    // ---- waiting ----

    void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** Waits until the condition holds; false on timeout. */
    boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    // Bounded wait: conditions can also change without a signal (clock-based ones).
                    changed.wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
