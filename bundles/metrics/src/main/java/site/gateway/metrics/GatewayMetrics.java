package site.gateway.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSession;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.support.thread.DaemonThreads;

/**
 * The gateway's Prometheus registry: JVM figures, the figures of the API services read at each scrape
 * ({@link GatewayCollector}, {@link ActivityCollector}), and what only listening tells (messages appended and dropped since start,
 * WMS disconnects, delivery latency from append to acknowledgement). A registry of its own, not the
 * client's static default one, so a restarted bundle starts clean.
 */
@Component(service = {GatewayMetrics.class, OutboxListener.class, WmsSessionListener.class})
public class GatewayMetrics implements OutboxListener, WmsSessionListener {
    /** How often the acknowledged seq is looked at for the delivery latency (its resolution). */
    static final long ACK_POLL_MILLIS = 200;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile GatewayIdentity identity;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile GatewayStatus status;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WmsSession session;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Outbox outbox;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PlcRegistry plcs;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CommandStats commands;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final DeliveryLatency pending = new DeliveryLatency(10_000);
    // Without exemplars (no tracing here): a counter's exemplar sampler schedules a task on the client's
    // scheduler thread per increment, a wake-up per appended message (issue 16.1's profile).
    private final Counter appended = Counter.builder().name("gateway_messages_appended_total")
            .help("Messages appended to the buffer since start.").withoutExemplars()
            .register(registry);
    private final Counter dropped = Counter.builder().name("gateway_messages_dropped_total")
            .help("Messages discarded by drop-oldest since start.").withoutExemplars()
            .register(registry);
    private final Counter disconnects = Counter.builder().name("gateway_wms_disconnects_total")
            .help("WMS sessions that closed or failed since start.").withoutExemplars()
            .register(registry);
    private final Histogram deliveryLatency = Histogram.builder().name("gateway_delivery_latency_seconds")
            .help("Time from append to the WMS's acknowledgement (resolution " + ACK_POLL_MILLIS + " ms; "
                    + "messages appended while 10000 were waiting are not timed).")
            .classicOnly().classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600)
            .withoutExemplars().register(registry);
    private ScheduledExecutorService ackPoller;

    @Activate
    void activate() {
        JvmMetrics.builder().register(registry);
        registry.register(new GatewayCollector(() -> identity, () -> status, () -> session, () -> outbox, () -> plcs,
                () -> audit, System::currentTimeMillis));
        registry.register(new ActivityCollector(() -> plcs, () -> commands));
        ackPoller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-metrics-acks"));
        ackPoller.scheduleWithFixedDelay(this::pollAcknowledged, ACK_POLL_MILLIS, ACK_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        ackPoller.shutdownNow();
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    String contentType() {
        return writer.getContentType();
    }

    @Override
    public void appended(long seq) {
        appended.inc();
        pending.appended(seq, System.nanoTime());
    }

    @Override
    public void dropped(SeqRange range) {
        dropped.inc(range.to() - range.from() + 1);
        pending.dropped(range.from(), range.to());
    }

    @Override
    public void disconnected(SessionInfo info, String reason) {
        disconnects.inc();
    }

    void pollAcknowledged() {
        Outbox current = outbox;
        if (current != null && pending.waiting() > 0) {
            pending.acknowledged(current.lastAckedSeq(), System.nanoTime(), deliveryLatency::observe);
        }
    }
}
