package site.gateway.heartbeat;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.GatewayState;
import site.gateway.api.wms.SessionInfo;

/** Builds the gateway's {@code heartbeat} message (§3.4); every metrics field is always present. */
final class HeartbeatMessage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OutboxStats NO_OUTBOX = new OutboxStats(0, 0, 0, 0, 0);

    private HeartbeatMessage() {
    }

    /**
     * @param outbox null when no outbox is running (buffer figures are then 0)
     * @param plcs   empty when no PLC registry is running
     */
    static String build(long now, GatewayState state, SessionInfo session, SystemMetrics.Sample system,
            OutboxStats outbox, List<PlcStatus> plcs) {
        return build(now, state, session, system, outbox, plcs, null);
    }

    /**
     * @param auditHead the audit trail's high-water mark, carried as {@code auditHead} so that the WMS holds
     *                  a copy (issue 13: a trail cut on the gateway no longer matches it); null: left out
     */
    static String build(long now, GatewayState state, SessionInfo session, SystemMetrics.Sample system,
            OutboxStats outbox, List<PlcStatus> plcs, site.gateway.api.audit.AuditHead auditHead) {
        OutboxStats buffer = outbox == null ? NO_OUTBOX : outbox;
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "heartbeat");
        root.put("ts", now);
        root.put("status", state.wireName());
        root.put("endpoint", session.endpoint() == null ? "" : session.endpoint());
        ObjectNode m = root.putObject("metrics");
        m.put("cpuPercent", system.cpuPercent());
        m.put("processCpuPercent", system.processCpuPercent());
        m.put("memoryUsedBytes", system.memoryUsedBytes());
        m.put("memoryMaxBytes", system.memoryMaxBytes());
        m.put("rssBytes", system.rssBytes());
        m.put("bufferedMessages", buffer.messages());
        m.put("bufferedBytes", buffer.bytes());
        m.put("oldestBufferedAgeMs", buffer.oldestCreatedAt() > 0 ? Math.max(0, now - buffer.oldestCreatedAt()) : 0);
        // both policies lose messages: drop-oldest discards, reject-new refuses
        m.put("droppedMessages", buffer.droppedTotal() + buffer.rejectedTotal());
        m.put("reconnects", session.reconnects());
        m.put("connectedSinceTs", session.connectedSinceTs());
        m.put("sentPerSecond", Math.round(session.sentPerSecond() * 10) / 10.0);
        ArrayNode list = m.putArray("plcs");
        for (PlcStatus plc : plcs) {
            list.addObject().put("plcId", plc.plcId()).put("status", plc.state().wireName())
                    .put("lastReadTs", plc.lastReadTs());
        }
        if (auditHead != null) {
            root.putObject("auditHead").put("seq", auditHead.seq()).put("hash", auditHead.hash());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("heartbeat not serialisable", e);
        }
    }
}
