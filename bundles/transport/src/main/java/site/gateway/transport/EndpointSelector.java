package site.gateway.transport;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered endpoint list (§4): which endpoint is in use, consecutive failures on it, failover after
 * a configured number of failures, and the {@code Retry-After} deadline of each endpoint. Not thread-safe:
 * used only on the session's thread.
 */
final class EndpointSelector {
    private List<URI> endpoints;
    private int current;
    private int failures;
    private final Map<URI, Long> notBefore = new HashMap<>();

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
        failures++;
        if (failures >= failoverAfter && endpoints.size() > 1) {
            select((current + 1) % endpoints.size());
            return true;
        }
        return false;
    }

    /** A session was established on the current endpoint. */
    void recordSuccess() {
        failures = 0;
    }

    void select(int index) {
        if (index != current) {
            current = index;
        }
        failures = 0;
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
        Long until = notBefore.get(current());
        return until == null ? 0 : Math.max(0, until - nowMs);
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
            return false;
        }
        current = index;
        return true;
    }
}
