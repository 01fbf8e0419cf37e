package site.gateway.heartbeat;

/**
 * How long the WMS may be unreachable before it counts as an outage: {@code afterLossMs} once a session
 * was lost, {@code beforeFirstMs} while the gateway is still making its first connection after start
 * (registration, TLS and welcome can take longer than one short heartbeat interval).
 */
record Grace(long afterLossMs, long beforeFirstMs) {
    /** With the default setting (0), the first connection gets at least this long. */
    static final long FIRST_CONNECTION_MIN_MS = 30_000;

    /** {@code configuredMs > 0} is the operator's choice for both; 0 means one heartbeat interval. */
    static Grace of(long configuredMs, long intervalMs) {
        if (configuredMs > 0) {
            return new Grace(configuredMs, configuredMs);
        }
        return new Grace(intervalMs, Math.max(intervalMs, FIRST_CONNECTION_MIN_MS));
    }
}
