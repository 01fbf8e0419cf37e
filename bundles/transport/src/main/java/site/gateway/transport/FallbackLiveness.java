package site.gateway.transport;

/**
 * §3.4 says when a WebSocket is dead: no frame from the WMS for 3 heartbeat intervals. The HTTPS fallback has no
 * frames, so the same rule is applied to the WMS's answers over HTTPS (batches acknowledged, health probes
 * sent every interval): the fallback is lost when none came for 3 intervals, and never before an answer had
 * {@code minSilenceMs} (the request timeout) to arrive, since each one is a full HTTPS round trip.
 */
record FallbackLiveness(long intervalMs, long minSilenceMs) {
    static final int INTERVALS = 3;

    FallbackLiveness {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be > 0, got " + intervalMs);
        }
    }

    boolean lost(long lastAnswerAt, long nowMs) {
        return nowMs - lastAnswerAt > Math.max(INTERVALS * intervalMs, minSilenceMs);
    }
}
