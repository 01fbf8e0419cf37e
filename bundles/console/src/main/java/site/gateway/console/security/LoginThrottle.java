package site.gateway.console.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed console logins per client address: after {@code maxFailures} within {@code windowMs}, the
 * address is locked out for {@code lockoutMs}. Bounded: at most {@link #MAX_ADDRESSES} addresses are
 * tracked (beyond that the oldest entries are forgotten, so a flood of addresses cannot fill the heap).
 */
final class LoginThrottle {
    static final int MAX_ADDRESSES = 10_000;

    private record Entry(long windowStart, int failures, long lockedUntil) {
    }

    private final int maxFailures;
    private final long windowMs;
    private final long lockoutMs;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, long windowMs, long lockoutMs) {
        this.maxFailures = maxFailures;
        this.windowMs = windowMs;
        this.lockoutMs = lockoutMs;
    }

    /** True while {@code address} is locked out. */
    boolean lockedOut(String address, long now) {
        Entry e = entries.get(address);
        return e != null && e.lockedUntil() > now;
    }

    /** Counts a failed login; true when it locked the address out. */
    boolean failed(String address, long now) {
        if (entries.size() >= MAX_ADDRESSES && !entries.containsKey(address)) {
            entries.entrySet().removeIf(x -> x.getValue().lockedUntil() <= now && now - x.getValue().windowStart() > windowMs);
        }
        Entry next = entries.compute(address, (k, e) -> {
            if (e == null || now - e.windowStart() > windowMs) {
                return new Entry(now, 1, e == null ? 0 : e.lockedUntil());
            }
            int failures = e.failures() + 1;
            return new Entry(e.windowStart(), failures, failures >= maxFailures ? now + lockoutMs : e.lockedUntil());
        });
        return next.failures() == maxFailures;
    }

    void succeeded(String address) {
        entries.remove(address);
    }
}
