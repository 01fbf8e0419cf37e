package site.gateway.transport;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code gateway.wms}: every value applies live, without a restart. */
@ObjectClassDefinition(name = "WMS transport",
        description = "The gateway's session with the WMS (protocol v1): endpoints, reconnection, batching, timeouts.")
public @interface TransportConfig {
    String PID = "gateway.wms";

    @AttributeDefinition(name = "Endpoints",
            description = "Comma-separated HTTPS base URLs of the WMS nodes, highest priority first.")
    String endpoints() default "https://localhost:8443";

    @AttributeDefinition(name = "First backoff delay (ms)", description = "Upper bound of the first reconnection delay (full jitter).")
    long backoffInitialMs() default 500;

    @AttributeDefinition(name = "Backoff factor", description = "Growth of the delay bound per failed attempt.")
    double backoffFactor() default 2.0;

    @AttributeDefinition(name = "Maximum backoff delay (ms)", description = "Cap of the delay; also the wait after 401/403/4403/4409.")
    long backoffMaxMs() default 10_000;

    @AttributeDefinition(name = "Failover after failures", description = "Consecutive failed attempts before moving to the next endpoint.")
    int failoverAfterFailures() default 3;

    @AttributeDefinition(name = "Health check interval (ms)",
            description = "While on a lower-priority endpoint, how often the higher ones are probed (GET /api/v1/health).")
    long healthCheckIntervalMs() default 30_000;

    @AttributeDefinition(name = "Batch maximum items", description = "Most durable messages per batch frame (protocol maximum 1000).")
    int batchMaxItems() default 1000;

    @AttributeDefinition(name = "Batch maximum delay (ms)", description = "Longest a message waits for a batch to fill under load.")
    long batchMaxDelayMs() default 20;

    @AttributeDefinition(name = "Connect timeout (ms)", description = "TCP + TLS connection timeout.")
    long connectTimeoutMs() default 5_000;

    @AttributeDefinition(name = "Request timeout (ms)", description = "Timeout of HTTPS requests, WebSocket upgrades and the wait for welcome.")
    long requestTimeoutMs() default 10_000;

    @AttributeDefinition(name = "Token refresh at", description = "Fraction of the token lifetime after which it is refreshed (0.1-0.95).")
    double tokenRefreshAt() default 0.8;

    @AttributeDefinition(name = "HTTPS fallback", description = "Send batches over HTTPS (§2.6) when WebSocket upgrades keep failing while HTTPS works.")
    boolean httpFallback() default true;

    @AttributeDefinition(name = "Compress request bodies from (bytes)",
            description = "HTTPS request bodies (registration, HTTPS batches) of at least this size are sent with "
                    + "Content-Encoding: gzip (§2); 0 sends every body uncompressed.")
    int gzipMinBytes() default 1024;

    @AttributeDefinition(name = "Fail over after (ms)",
            description = "An endpoint that has not given a session for this long since it started failing is left for the "
                    + "next one, whatever the number of failed attempts and even while an attempt still waits for an answer "
                    + "(a hanging node); with failoverAfterFailures, whichever comes first.")
    long failoverAfterMs() default 10_000;

    @AttributeDefinition(name = "Longest Retry-After honoured (ms)",
            description = "A Retry-After (429/503) longer than this is cut to it (1000..86400000); meanwhile the other "
                    + "endpoints are used. The default (24 h) honours every Retry-After, as the protocol requires (the "
                    + "gateway MUST wait at least that long); a lower value departs from that MUST.")
    long retryAfterMaxMs() default Settings.RETRY_AFTER_MAX_BOUND_MS;

    @AttributeDefinition(name = "Forward proxy",
            description = "HTTP proxy for sites whose only egress is a proxy, as http://host:port: every HTTPS request "
                    + "and the WebSocket go through HTTP CONNECT tunnels (TLS stays end to end). Empty: direct.")
    String proxy() default "";

    @AttributeDefinition(name = "CRL refresh (ms)", description = "How often the CRL is fetched from the WMS (also after each registration).")
    long crlRefreshMs() default 3_600_000;
}
