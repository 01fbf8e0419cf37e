package site.gateway.transport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ordered endpoint list (§4): which endpoint is in use, consecutive failures on it, failover after
 * a configured number of failures or a configured time without a session (whichever comes first), and
 * the {@code Retry-After} deadline of each endpoint. Not thread-safe: used only on the session's thread, except
 * {@link #retryAfter} and {@link #waitBefore}, which the certificate renewal (§2.3, blocking on the crypto
 * bundle's thread) also calls: the deadlines are in a concurrent map.
 */
final class EndpointSelector {
    private List<URI> endpoints;
    private int current;
    private int failures;
    private final Map<URI, Long> notBefore = new ConcurrentHashMap<>();
    /** Since when the current endpoint has given no session (0: it is serving, or nothing was tried yet). */
    private long troubleSince;

    EndpointSelector(List<URI> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    URI current() {
        return endpoints.get(current);
    }

    int currentIndex() {
        return current;
    }

    List<URI> endpoints() {
        return endpoints;
    }

    int failures() {
        return failures;
    }

    /** Counts a failed attempt; returns true when it moved to the next endpoint (wrapping around). */
    boolean recordFailure(int failoverAfter) {
        return recordFailure(failoverAfter, Long.MAX_VALUE, 0);
    }

    /**
     * Counts a failed attempt; moves to the next endpoint (wrapping around, and returns true) after
     * {@code failoverAfter} failures in a row or when the endpoint has given no session for
     * {@code failoverAfterMs}, whichever comes first.
     */
    boolean recordFailure(int failoverAfter, long failoverAfterMs, long nowMs) {
        failures++;
        troubleStarted(nowMs);
        if (endpoints.size() > 1 && (failures >= failoverAfter || troubleForMs(nowMs) >= failoverAfterMs)) {
            select((current + 1) % endpoints.size());
            return true;
        }
        return false;
    }

    /** An attempt starts, or the session was lost: the clock of {@code failoverAfterMs} runs from the first. */
    void troubleStarted(long nowMs) {
        if (troubleSince == 0) {
            troubleSince = nowMs;
        }
    }

    /** How long the current endpoint has given no session (0 while it serves). */
    long troubleForMs(long nowMs) {
        return troubleSince == 0 ? 0 : Math.max(0, nowMs - troubleSince);
    }

    /** When the current endpoint must have given a session, or be left: {@code Long.MAX_VALUE} if never. */
    long failoverDeadline(long failoverAfterMs) {
        return troubleSince == 0 || endpoints.size() < 2 ? Long.MAX_VALUE : troubleSince + failoverAfterMs;
    }

    /** A session was established on the current endpoint. */
    void recordSuccess() {
        failures = 0;
        troubleSince = 0;
    }

    void select(int index) {
        if (index != current) {
            current = index;
        }
        failures = 0;
        troubleSince = 0;
    }

    /** Moves to the next endpoint (wrapping around); false when there is no other. */
    boolean failOver() {
        if (endpoints.size() < 2) {
            return false;
        }
        select((current + 1) % endpoints.size());
        return true;
    }

    /**
     * The next endpoint after the current one (in list order, wrapping around) that no {@code Retry-After}
     * holds back at {@code nowMs}, or -1 if every other endpoint is held back too (§4: "the gateway may use
     * another endpoint meanwhile").
     */
    int nextAvailable(long nowMs) {
        for (int i = 1; i < endpoints.size(); i++) {
            int index = (current + i) % endpoints.size();
            if (waitBefore(endpoints.get(index), nowMs) == 0) {
                return index;
            }
        }
        return -1;
    }

    /** Milliseconds to wait before an attempt on {@code endpoint} may start, 0 if none. */
    long waitBefore(URI endpoint, long nowMs) {
        Long until = notBefore.get(endpoint);
        return until == null ? 0 : Math.max(0, until - nowMs);
    }

    /** Endpoints of higher priority than the current one, best first. */
    List<URI> higherPriority() {
        return endpoints.subList(0, current);
    }

    /** Remembers a {@code Retry-After}: no attempt on {@code endpoint} before {@code untilMs}. */
    void retryAfter(URI endpoint, long untilMs) {
        notBefore.merge(endpoint, untilMs, Math::max);
    }

    /** Milliseconds to wait before an attempt on the current endpoint may start, 0 if none. */
    long waitBeforeAttempt(long nowMs) {
        return waitBefore(current(), nowMs);
    }

    /**
     * Installs a new list. Keeps the current endpoint when it is still listed (at its new position) and
     * returns true; returns false when it is gone, in which case the first endpoint is selected.
     */
    boolean update(List<URI> newEndpoints) {
        URI inUse = current();
        endpoints = List.copyOf(newEndpoints);
        notBefore.keySet().retainAll(endpoints);
        int index = endpoints.indexOf(inUse);
        if (index < 0) {
            current = 0;
            failures = 0;
            troubleSince = 0;
            return false;
        }
        current = index;
        return true;
    }
}
