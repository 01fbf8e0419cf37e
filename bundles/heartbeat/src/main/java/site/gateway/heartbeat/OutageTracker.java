package site.gateway.heartbeat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.Severity;

/**
 * Turns the session's ups and downs into the {@code wms} part of the gateway status and into
 * {@code wms.unreachable} alerts. An outage counts once it lasts the grace period: then the gateway is
 * degraded, and on reconnection a durable warning carries {@code outageStartTs} and {@code outageMs}.
 * Shorter interruptions (a token refresh reconnect, a failback) are only logged. While connected, the
 * WMS's own heartbeats are watched: none for 3 intervals also makes the gateway degraded.
 * Not thread-safe: the heartbeat thread drives it.
 */
final class OutageTracker {
    static final String SOURCE = "wms";
    private static final Logger LOG = LoggerFactory.getLogger(OutageTracker.class);

    private final GatewayStatus status;
    private final Consumer<Alert> alerts;

    private boolean connected;
    private long connectedAt;
    private long outageStartTs;
    private String outageReason = "";
    private boolean outageReported;
    private long lastWmsHeartbeatTs;
    private boolean silenceReported;
    private boolean beforeFirstConnection;
    private boolean reconnectingOnPurpose;

    OutageTracker(GatewayStatus status, Consumer<Alert> alerts) {
        this.status = status;
        this.alerts = alerts;
    }

    /**
     * The state found at activation. Not connected: an outage since the last frame heard from the WMS when
     * there was a session before this component started ({@code lastFrameTs > 0}), else since now, before
     * the first connection (with its longer grace).
     */
    void start(boolean connectedNow, long now, long lastFrameTs) {
        if (connectedNow) {
            connected = true;
            connectedAt = now;
        } else if (lastFrameTs > 0 && lastFrameTs <= now) {
            outageStartTs = lastFrameTs;
            outageReason = "disconnected before the heartbeat component started";
        } else {
            outageStartTs = now;
            outageReason = "not connected yet";
            beforeFirstConnection = true;
        }
    }

    void start(boolean connectedNow, long now) {
        start(connectedNow, now, 0);
    }

    /**
     * The session closed; {@code wentAwayTs} is when the WMS went away (the caller knows: the close itself, or
     * the last frame heard when the loss was noticed only later). Never before the session opened.
     */
    void disconnected(long wentAwayTs, String reason) {
        disconnected(wentAwayTs, reason, false);
    }

    /**
     * {@code onPurpose}: the gateway closed the session to reconnect at once (renewed certificate, re-register,
     * failback). The WMS did not go away, so the reconnection gets the longer first-connection grace before it
     * counts as an outage.
     */
    void disconnected(long wentAwayTs, String reason, boolean onPurpose) {
        reconnectingOnPurpose = onPurpose;
        connected = false;
        if (silenceReported) {
            silenceReported = false;
        }
        if (outageStartTs == 0) {
            outageStartTs = Math.max(wentAwayTs, connectedAt);
            outageReason = reason == null ? "disconnected" : reason;
            LOG.info("WMS session lost: {}", outageReason);
        }
    }

    void connected(long now, String endpoint, Grace grace) {
        if (connected && outageStartTs == 0) {
            return; // the same session told twice (the marker and a replay): nothing changed
        }
        long graceMs = graceMs(grace);
        beforeFirstConnection = false;
        reconnectingOnPurpose = false;
        connected = true;
        connectedAt = now;
        lastWmsHeartbeatTs = 0;
        if (outageStartTs != 0) {
            long outageMs = now - outageStartTs;
            if (outageReported || outageMs >= graceMs) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("outageStartTs", outageStartTs);
                fields.put("outageMs", outageMs);
                alerts.accept(new Alert(Severity.WARNING, "wms.unreachable", "The WMS was unreachable for "
                        + outageMs / 1000 + " s from " + Instant.ofEpochMilli(outageStartTs) + " (" + outageReason
                        + "); reconnected to " + endpoint, null, fields));
            } else {
                LOG.info("WMS session back after {} ms (shorter than the {} ms grace: no alert)", outageMs, graceMs);
            }
            outageStartTs = 0;
            outageReported = false;
        }
        status.report(SOURCE, null);
    }

    /** A heartbeat from the WMS arrived at {@code heardAt} (the transport's receive time). */
    void wmsHeartbeat(long heardAt) {
        lastWmsHeartbeatTs = heardAt;
        if (silenceReported) {
            silenceReported = false;
            status.report(SOURCE, null);
        }
    }

    /** Called often (every few hundred ms): starts reporting what has lasted long enough. */
    void tick(long now, Grace grace, long intervalMs) {
        if (!connected && outageStartTs != 0 && !outageReported && now - outageStartTs >= graceMs(grace)) {
            outageReported = true;
            status.report(SOURCE, "WMS unreachable since " + Instant.ofEpochMilli(outageStartTs) + " (" + outageReason
                    + ")");
        }
        long heardAt = Math.max(connectedAt, lastWmsHeartbeatTs);
        if (connected && !silenceReported && now - heardAt > 3 * intervalMs) {
            silenceReported = true;
            status.report(SOURCE, "no heartbeat from the WMS for " + (now - heardAt) / 1000 + " s");
        }
    }

    private long graceMs(Grace grace) {
        return beforeFirstConnection || reconnectingOnPurpose ? grace.beforeFirstMs() : grace.afterLossMs();
    }

    boolean connected() {
        return connected;
    }

    /** The component stops: its problem must not keep the gateway degraded. */
    void stop() {
        status.report(SOURCE, null);
    }
}
