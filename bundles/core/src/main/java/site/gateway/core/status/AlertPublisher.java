package site.gateway.core.status;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.Severity;

/** Turns alerts into durable {@code alert} messages (§3.2) and log lines. */
@Component(service = Alerts.class)
public class AlertPublisher implements Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayIdentity identity;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Outbox outbox;

    @Activate
    public AlertPublisher(@Reference GatewayIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void raise(Alert alert) {
        if (alert.severity() == Severity.CRITICAL) {
            LOG.error("ALERT {} {}: {}", alert.severity().wireName(), alert.code(), alert.message());
        } else {
            LOG.warn("ALERT {} {}: {}", alert.severity().wireName(), alert.code(), alert.message());
        }
        Outbox target = outbox;
        if (target == null) {
            LOG.warn("No outbox available: alert {} is logged only", alert.code());
            return;
        }
        try {
            target.append(MessageType.ALERT, toJson(alert));
        } catch (OutboxFullException e) {
            LOG.error("Alert {} refused by the full buffer: {}", alert.code(), e.getMessage());
        }
    }

    byte[] toJson(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", MessageType.ALERT.wireName());
        node.put("tenantId", identity.tenantId());
        node.put("gatewayId", identity.gatewayId());
        node.put("severity", alert.severity().wireName());
        node.put("code", alert.code());
        node.put("message", alert.message());
        node.put("ts", System.currentTimeMillis());
        if (alert.plcId() != null) {
            node.put("plcId", alert.plcId());
        }
        for (Map.Entry<String, Object> field : alert.fields().entrySet()) {
            node.set(field.getKey(), JSON.valueToTree(field.getValue()));
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert not serialisable", e);
        }
    }
}
