package site.gateway.core.status;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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

/**
 * Turns alerts into durable {@code alert} messages (§3.2) and log lines. An alert raised before the outbox
 * is there (start-up: the outbox bundle may come last) waits in memory, with the time it was raised, and is
 * appended in order as soon as the outbox binds; beyond {@link #MAX_WAITING} the newest are counted and one
 * {@code alerts.overflow} alert says how many were lost.
 */
@Component(service = Alerts.class)
public class AlertPublisher implements Alerts {
    static final int MAX_WAITING = 1000;
    static final String ALERT_OVERFLOW = "alerts.overflow";
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayIdentity identity;
    private final Object lock = new Object();
    // Guarded by lock. The outbox is never called with the lock held: it may raise alerts itself.
    private final Deque<byte[]> waiting = new ArrayDeque<>();
    private Outbox outbox;
    private boolean draining;
    private long overflow;

    @Activate
    public AlertPublisher(@Reference GatewayIdentity identity) {
        this.identity = identity;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindOutbox(Outbox bound) {
        synchronized (lock) {
            outbox = bound;
            if (draining || waiting.isEmpty()) {
                return;
            }
            draining = true;
        }
        drain(bound);
    }

    void unbindOutbox(Outbox gone) {
        synchronized (lock) {
            if (outbox == gone) {
                outbox = null;
            }
        }
    }

    @Override
    public void raise(Alert alert) {
        if (alert.severity() == Severity.CRITICAL) {
            LOG.error("ALERT {} {}: {}", alert.severity().wireName(), alert.code(), alert.message());
        } else {
            LOG.warn("ALERT {} {}: {}", alert.severity().wireName(), alert.code(), alert.message());
        }
        byte[] json = toJson(alert);
        Outbox target;
        synchronized (lock) {
            if (outbox == null || draining) {
                enqueue(json, alert.code());
                return;
            }
            target = outbox;
        }
        append(target, json, alert.code());
    }

    /** Alerts waiting for the outbox (tests, console). */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private void enqueue(byte[] json, String code) {
        if (waiting.size() < MAX_WAITING) {
            waiting.add(json);
            LOG.debug("No outbox yet: alert {} waits for it ({} waiting)", code, waiting.size());
        } else {
            overflow++;
        }
    }

    /** Appends the waiting alerts in the order they were raised; alerts raised meanwhile queue behind them. */
    private void drain(Outbox target) {
        int delivered = 0;
        while (true) {
            byte[] next;
            long lost = 0;
            synchronized (lock) {
                if (outbox != target) {
                    draining = false; // unbound meanwhile: the rest waits for the next outbox
                    return;
                }
                next = waiting.poll();
                if (next == null) {
                    lost = overflow;
                    overflow = 0;
                    draining = false;
                }
            }
            if (next == null) {
                if (delivered > 0) {
                    LOG.info("{} alert(s) raised before the outbox was available are now in it", delivered);
                }
                if (lost > 0) {
                    LOG.warn("{} alert(s) raised before the outbox was available were lost (more than {} waiting)", lost,
                            MAX_WAITING);
                    append(target, toJson(new Alert(Severity.WARNING, ALERT_OVERFLOW, lost + " alert(s) raised before the "
                            + "buffer was available were lost (more than " + MAX_WAITING + " waiting)", null,
                            Map.of("count", lost))), ALERT_OVERFLOW);
                }
                return;
            }
            append(target, next, "waiting");
            delivered++;
        }
    }

    private static void append(Outbox target, byte[] json, String code) {
        try {
            target.append(MessageType.ALERT, json);
        } catch (OutboxFullException e) {
            LOG.error("Alert {} refused by the full buffer: {}", code, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Alert {} could not be stored: {}", code, e.toString());
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
