package site.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;

/**
 * The gateway's figures read from its API services at each scrape (the heartbeat's figures and more): a
 * service that is not running contributes nothing rather than zeros that look like facts.
 */
final class GatewayCollector implements MultiCollector {
    private final Supplier<GatewayIdentity> identity;
    private final Supplier<GatewayStatus> status;
    private final Supplier<WmsSession> session;
    private final Supplier<Outbox> outbox;
    private final Supplier<PlcRegistry> plcs;
    private final Supplier<AuditTrail> audit;
    private final LongSupplier clock;

    GatewayCollector(Supplier<GatewayIdentity> identity, Supplier<GatewayStatus> status, Supplier<WmsSession> session,
            Supplier<Outbox> outbox, Supplier<PlcRegistry> plcs, Supplier<AuditTrail> audit, LongSupplier clock) {
        this.identity = identity;
        this.status = status;
        this.session = session;
        this.outbox = outbox;
        this.plcs = plcs;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        GatewayIdentity id = identity.get();
        if (id != null) {
            out.add(gauge("gateway_info", "The gateway's identity (value 1).",
                    point(1, Labels.of("tenant", id.tenantId(), "gateway", id.gatewayId()))));
        }
        GatewayStatus st = status.get();
        if (st != null) {
            out.add(gauge("gateway_operational", "1 while the gateway is operational, 0 while degraded or shutting down.",
                    point(st.current().state() == GatewayState.OPERATIONAL ? 1 : 0, Labels.EMPTY)));
        }
        WmsSession wms = session.get();
        if (wms != null) {
            SessionInfo info = wms.info();
            out.add(gauge("gateway_wms_connected", "1 while the WMS session is connected and synchronised.",
                    point(info.state() == SessionState.CONNECTED ? 1 : 0, Labels.EMPTY)));
            out.add(counter("gateway_wms_reconnects", "WebSocket sessions opened after the first one since start.", info.reconnects()));
            out.add(counter("gateway_wms_failovers", "Moves of the WMS session to another endpoint since start (failover, failback).",
                    info.failovers()));
            out.add(counter("gateway_messages_resent", "Durable messages sent to the WMS again since start (after a reconnect or resync).",
                    info.messagesResent()));
            out.add(gauge("gateway_wms_sent_per_second", "Durable messages sent to the WMS per second (recent average).",
                    point(info.sentPerSecond(), Labels.EMPTY)));
            if (info.lastFrameReceivedTs() > 0) {
                out.add(gauge("gateway_wms_last_frame_age_seconds", "Seconds since the last frame from the WMS.",
                        point(ageSeconds(info.lastFrameReceivedTs()), Labels.EMPTY)));
            }
        }
        Outbox buffer = outbox.get();
        if (buffer != null) {
            OutboxStats stats = buffer.stats();
            out.add(gauge("gateway_buffer_messages", "Durable messages buffered and not acknowledged.", point(stats.messages(), Labels.EMPTY)));
            out.add(gauge("gateway_buffer_bytes", "Stored size of the buffered messages.", point(stats.bytes(), Labels.EMPTY)));
            out.add(gauge("gateway_buffer_oldest_age_seconds", "Age of the oldest buffered message, 0 when the buffer is empty.",
                    point(stats.oldestCreatedAt() > 0 ? ageSeconds(stats.oldestCreatedAt()) : 0, Labels.EMPTY)));
            out.add(counter("gateway_buffer_dropped", "Messages discarded because the buffer was full (drop-oldest), since the buffer was created.",
                    stats.droppedTotal()));
            out.add(counter("gateway_buffer_rejected", "Messages refused because the buffer was full (reject-new), since the buffer was created.",
                    stats.rejectedTotal()));
            out.add(counter("gateway_acknowledged_seqs", "Highest seq the WMS acknowledged: seqs acknowledged since the buffer was created (seqs are never reused).",
                    buffer.lastAckedSeq()));
            out.add(counter("gateway_appended_seqs", "Seqs given to messages since the buffer was created (next seq - 1).",
                    Math.max(0, buffer.nextSeq() - 1)));
        }
        PlcRegistry registry = plcs.get();
        if (registry != null) {
            GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("gateway_plc_up").help("1 while the PLC is connected, 0 when unreachable or disabled.");
            GaugeSnapshot.Builder age = GaugeSnapshot.builder().name("gateway_plc_last_read_age_seconds").help("Seconds since the PLC's last successful read.");
            boolean anyRead = false;
            for (PlcStatus plc : registry.statuses()) {
                Labels labels = ActivityCollector.plcLabels(plc.plcId(), plc.driver());
                up.dataPoint(point(plc.state() == PlcState.CONNECTED ? 1 : 0, labels));
                if (plc.lastReadTs() > 0) {
                    age.dataPoint(point(ageSeconds(plc.lastReadTs()), labels));
                    anyRead = true;
                }
            }
            out.add(up.build());
            if (anyRead) {
                out.add(age.build());
            }
        }
        AuditTrail trail = audit.get();
        if (trail != null) {
            out.add(gauge("gateway_audit_ok", "1 while the audit trail writes normally.", point(trail.problem().isEmpty() ? 1 : 0, Labels.EMPTY)));
            trail.head().ifPresent(h -> out.add(gauge("gateway_audit_head_seq", "Seq of the last audit entry on the device.",
                    point(h.seq(), Labels.EMPTY))));
        }
        return new MetricSnapshots(out);
    }

    private double ageSeconds(long epochMillis) {
        return Math.max(0, clock.getAsLong() - epochMillis) / 1000.0;
    }

    private static GaugeSnapshot gauge(String name, String help, GaugeDataPointSnapshot point) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(point).build();
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
