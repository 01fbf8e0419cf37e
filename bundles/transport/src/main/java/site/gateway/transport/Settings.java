package site.gateway.transport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The validated, immutable form of {@link TransportConfig}. */
record Settings(List<URI> endpoints, long backoffInitialMs, double backoffFactor, long backoffMaxMs,
        int failoverAfterFailures, long healthCheckIntervalMs, int batchMaxItems, long batchMaxDelayMs,
        long connectTimeoutMs, long requestTimeoutMs, double tokenRefreshAt, boolean httpFallback, long crlRefreshMs, int gzipMinBytes,
        long failoverAfterMs, long retryAfterMaxMs, URI proxy) {

    static final int PROTOCOL_MAX_BATCH = 1000;
    /** Bounds of {@code retryAfterMaxMs}: at least 1 s, at most the 24 h the gateway ever honoured. */
    static final long RETRY_AFTER_MAX_BOUND_MS = 86_400_000L;

    Settings {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: at least one https URL is required");
        }
        positive("backoffInitialMs", backoffInitialMs);
        if (!(backoffFactor >= 1.0) || Double.isInfinite(backoffFactor)) {
            throw new IllegalArgumentException("backoffFactor must be >= 1, got " + backoffFactor);
        }
        if (backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("backoffMaxMs (" + backoffMaxMs + ") must be >= backoffInitialMs (" + backoffInitialMs + ")");
        }
        positive("failoverAfterFailures", failoverAfterFailures);
        positive("healthCheckIntervalMs", healthCheckIntervalMs);
        if (batchMaxItems < 1 || batchMaxItems > PROTOCOL_MAX_BATCH) {
            throw new IllegalArgumentException("batchMaxItems must be 1.." + PROTOCOL_MAX_BATCH + ", got " + batchMaxItems);
        }
        if (batchMaxDelayMs < 0) {
            throw new IllegalArgumentException("batchMaxDelayMs must be >= 0, got " + batchMaxDelayMs);
        }
        positive("connectTimeoutMs", connectTimeoutMs);
        positive("requestTimeoutMs", requestTimeoutMs);
        if (!(tokenRefreshAt >= 0.1 && tokenRefreshAt <= 0.95)) {
            throw new IllegalArgumentException("tokenRefreshAt must be within 0.1..0.95, got " + tokenRefreshAt);
        }
        positive("crlRefreshMs", crlRefreshMs);
        if (gzipMinBytes < 0) {
            throw new IllegalArgumentException("gzipMinBytes must be >= 0 (0 = never compress), got " + gzipMinBytes);
        }
        positive("failoverAfterMs", failoverAfterMs);
        if (retryAfterMaxMs < 1000 || retryAfterMaxMs > RETRY_AFTER_MAX_BOUND_MS) {
            throw new IllegalArgumentException("retryAfterMaxMs must be within 1000.." + RETRY_AFTER_MAX_BOUND_MS + ", got " + retryAfterMaxMs);
        }
    }

    static Settings from(TransportConfig c) {
        return new Settings(parseEndpoints(c.endpoints()), c.backoffInitialMs(), c.backoffFactor(), c.backoffMaxMs(),
                c.failoverAfterFailures(), c.healthCheckIntervalMs(), c.batchMaxItems(), c.batchMaxDelayMs(),
                c.connectTimeoutMs(), c.requestTimeoutMs(), c.tokenRefreshAt(), c.httpFallback(), c.crlRefreshMs(), c.gzipMinBytes(),
                c.failoverAfterMs(), c.retryAfterMaxMs(), parseProxy(c.proxy()));
    }

    /** Parses the comma-separated list; each entry must be an absolute https URL without query. */
    static List<URI> parseEndpoints(String value) {
        List<URI> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        for (String part : value.split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoints: not a URL: " + text);
            }
            if (uri.getScheme() == null || !"https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null
                    || uri.getQuery() != null) {
                throw new IllegalArgumentException("endpoints: expected https://host[:port][/path], got " + text);
            }
            if (!result.contains(uri)) {
                result.add(uri);
            }
        }
        return result;
    }

    /**
     * The forward proxy: empty for none, else {@code http://host:port} (HTTP CONNECT tunnels carry the TLS
     * of every request and of the WebSocket end to end; the proxy sees only host and port).
     */
    static URI parseProxy(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "http://" + text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("proxy: not host:port or http://host:port: " + text);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("proxy: expected http://host:port (an HTTP CONNECT proxy, no credentials), got " + text);
        }
        return URI.create("http://" + uri.getHost() + ":" + uri.getPort());
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
