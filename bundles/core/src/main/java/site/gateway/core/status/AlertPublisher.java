package site.gateway.core.status;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
import site.gateway.support.thread.DaemonThreads;

/**
 * Turns alerts into durable {@code alert} messages (§3.2) and log lines. Alerts are appended in the order
 * they were raised by this component's own thread, so an alert raised before the outbox is there (at
 * start-up the buffer may come last) waits in memory, with the time it was raised, until the outbox binds;
 * beyond {@link #MAX_WAITING} the newest are counted and one {@code alerts.overflow} alert says how many were
 * lost. The outbox is taken only on that thread, never while another component activates: the buffer
 * raises alerts itself, and taking it inside its activation would be a service cycle.
 */
@Component(service = Alerts.class)
public class AlertPublisher implements Alerts {
    static final int MAX_WAITING = 1000;
    static final String ALERT_OVERFLOW = "alerts.overflow";
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayIdentity identity;
    private final ComponentContext context;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("gateway-alerts"));
    private final Object lock = new Object();
    // Guarded by lock.
    private final Deque<byte[]> waiting = new ArrayDeque<>();
    private long overflow;
    private volatile Supplier<Outbox> outbox;
    private volatile Object outboxKey;

    @Activate
    public AlertPublisher(@Reference GatewayIdentity identity, ComponentContext context) {
        this.identity = identity;
        this.context = context;
    }

    /** Outside OSGi (tests): then the outbox is given with {@link #useOutbox}. */
    public AlertPublisher(GatewayIdentity identity) {
        this(identity, null);
    }

    /** Only the reference: the service itself is taken later, on the alerts thread. */
    @Reference(name = "outbox", service = Outbox.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindOutbox(ServiceReference<Outbox> ref) {
        use(ref, () -> context.locateService("outbox", ref));
    }

    void unbindOutbox(ServiceReference<Outbox> ref) {
        forget(ref);
    }

    public void useOutbox(Outbox target) {
        use(target, () -> target);
    }

    void noOutbox(Outbox target) {
        forget(target);
    }

    private void use(Object key, Supplier<Outbox> source) {
        outboxKey = key;
        outbox = source;
        wake();
    }

    private void forget(Object key) {
        if (outboxKey == key) {
            outbox = null;
            outboxKey = null;
        }
    }

    @Deactivate
    void deactivate() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = waiting();
        if (left > 0) {
            LOG.warn("{} alert(s) never reached the buffer (it was not available before the gateway stopped)", left);
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
        synchronized (lock) {
            if (waiting.size() < MAX_WAITING) {
                waiting.add(json);
            } else {
                overflow++;
            }
        }
        wake();
    }

    /** Alerts not in the buffer yet. */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    /** Waits until the alerts raised so far were handled (tests). */
    void flush() throws Exception {
        thread.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    private void wake() {
        try {
            thread.execute(this::drain);
        } catch (RejectedExecutionException stopping) {
            // deactivated: what waits is reported there
        }
    }

    /** On the alerts thread: appends what waits, in order, while there is an outbox. */
    private void drain() {
        Supplier<Outbox> source = outbox;
        Outbox target = source == null ? null : source.get();
        if (target == null) {
            return;
        }
        while (true) {
            byte[] next;
            long lost = 0;
            synchronized (lock) {
                next = waiting.peek();
                if (next == null) {
                    lost = overflow;
                    overflow = 0;
                }
            }
            if (next == null) {
                if (lost > 0) {
                    LOG.warn("{} alert(s) raised while the buffer was not available were lost (more than {} waiting)", lost,
                            MAX_WAITING);
                    append(target, toJson(new Alert(Severity.WARNING, ALERT_OVERFLOW, lost + " alert(s) raised while the "
                            + "buffer was not available were lost (more than " + MAX_WAITING + " waiting)", null,
                            Map.of("count", lost))));
                }
                return;
            }
            if (!append(target, next)) {
                return; // the outbox is going away: the alert stays first in line for the next one
            }
            synchronized (lock) {
                waiting.poll();
            }
        }
    }

    /** False when the outbox could not take it for now (then it is kept); a full buffer refuses it for good. */
    private static boolean append(Outbox target, byte[] json) {
        try {
            target.append(MessageType.ALERT, json);
        } catch (OutboxFullException e) {
            LOG.error("Alert refused by the full buffer: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Alert not stored yet, the buffer is not available: {}", e.toString());
            return false;
        }
        return true;
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
