package site.gateway.heartbeat;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;
import site.gateway.api.wms.WmsSessionOpen;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.config.FrameworkService;
import site.gateway.support.thread.DaemonThreads;

/**
 * Sends §3.4 heartbeats every interval while the session is up, and keeps the {@code wms} part of the
 * gateway status through {@link OutageTracker}. Whether the session is open comes from the transport's
 * {@link WmsSessionOpen} marker service: bound at once when this component starts while a session is open,
 * so starting late never misreads an open session as an outage. The WMS's own heartbeats are read from the
 * session's state ({@link SessionInfo#lastWmsHeartbeatTs()}) at every tick, so this component registers nothing
 * for the transport to call (issue 17.2). Everything runs on this component's own thread, so that reporting
 * status or raising alerts never runs inside the transport. PLC problems are reported by the PLC bundle itself,
 * not here.
 */
@Component(service = {}, configurationPid = HeartbeatConfig.PID, immediate = true)
@Designate(ocd = HeartbeatConfig.class)
public class HeartbeatComponent {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatComponent.class);
    static final long TICK_MS = 200;
    static final int DEFAULT_INTERVAL_SECONDS = 10;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Outbox outbox;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PlcRegistry plcRegistry;
    volatile Alerts alerts;
    /** Alerts raised before the alert service came; handed over, in order, when it binds. */
    private final java.util.List<Alert> unsent = new java.util.concurrent.CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile site.gateway.api.audit.AuditTrail audit;

    private final WmsSession session;
    private final GatewayStatus status;
    private final SystemMetrics system = new SystemMetrics();
    private final OutageTracker outages;
    private final ScheduledExecutorService thread;
    private final ConfigGate<HeartbeatConfig> gate = new ConfigGate<>(HeartbeatConfig.PID, LOG, this::rejected);
    private volatile HeartbeatConfig config;

    // heartbeat thread only
    private long nextHeartbeatTs;
    /** The WMS heartbeat last handed to the outage tracker (the transport's receive time). */
    private long wmsHeartbeatSeen;
    private volatile long sent;

    @Activate
    public HeartbeatComponent(@Reference WmsSession session, @Reference GatewayStatus status, HeartbeatConfig config) {
        this.session = session;
        this.status = status;
        this.config = gate.first(() -> checked(config));
        this.outages = new OutageTracker(status, this::raise);
        this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("heartbeat"));
        long now = System.currentTimeMillis();
        SessionInfo info = session.info();
        boolean up = info.state() == SessionState.CONNECTED;
        thread.execute(() -> outages.start(up, now, info.lastFrameReceivedTs()));
        thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(HeartbeatConfig next) {
        gate.check(() -> checked(next), "the previous one").ifPresent(c -> config = c);
    }

    @Deactivate
    void deactivate() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outages.stop();
    }

    /** A session is open (now, or already when this component started). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSessionOpen(WmsSessionOpen open) {
        long now = System.currentTimeMillis();
        SessionInfo info = open.opened();
        onThread(() -> {
            outages.connected(now, info.endpoint(), grace(info));
            nextHeartbeatTs = 0; // the first heartbeat goes out at the next tick, after the transport's status
        });
    }

    /**
     * The session closed. The WMS went away then, or, when the loss was noticed only after it had been silent
     * for more than two intervals (a half-open connection), with the last frame heard from it.
     */
    void unbindSessionOpen(WmsSessionOpen open) {
        long now = System.currentTimeMillis();
        String reason = open.closeReason();
        SessionInfo info = session.info();
        long lastFrame = info.lastFrameReceivedTs();
        long silentMs = 2L * intervalSeconds(info) * 1000L;
        long wentAway = lastFrame > 0 && now - lastFrame > silentMs ? lastFrame : now;
        boolean onPurpose = open.closedOnPurpose();
        onThread(() -> outages.disconnected(wentAway, reason, onPurpose));
    }

    /** Alerts raised while no alert service was bound go out now, in order. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAlerts(Alerts bound) {
        alerts = bound;
        onThread(this::raiseUnsent);
    }

    void unbindAlerts(Alerts gone) {
        if (alerts == gone) {
            alerts = null;
        }
    }

    /** Heartbeats sent since activation. */
    long sent() {
        return sent;
    }

    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // deactivating
        }
    }

    private void tick() {
        try {
            SessionInfo info = session.info();
            long now = System.currentTimeMillis();
            long intervalMs = intervalSeconds(info) * 1000L;
            long heard = info.lastWmsHeartbeatTs();
            if (heard > wmsHeartbeatSeen) {
                wmsHeartbeatSeen = heard;
                outages.wmsHeartbeat(heard);
            }
            outages.tick(now, grace(info), intervalMs);
            if (outages.connected() && info.state() == SessionState.CONNECTED && now >= nextHeartbeatTs) {
                nextHeartbeatTs = now + intervalMs;
                sendHeartbeat(now, info);
            }
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat tick failed", e); // the next tick tries again
        }
    }

    private void sendHeartbeat(long now, SessionInfo info) {
        GatewayState state = status.current().state();
        if (state == GatewayState.SHUTTING_DOWN) {
            return; // the transport is saying goodbye; §3.4 knows only operational and degraded
        }
        Outbox buffer = outbox;
        OutboxStats stats = buffer == null ? null : buffer.stats();
        PlcRegistry registry = plcRegistry;
        List<PlcStatus> plcs = registry == null ? List.of() : registry.statuses();
        site.gateway.api.audit.AuditTrail trail = audit;
        String json = HeartbeatMessage.build(now, state, info, system.sample(), stats, plcs,
                trail == null ? null : trail.head().orElse(null));
        if (session.send(json)) {
            sent++;
        } else {
            LOG.debug("Heartbeat not sent: session not open");
        }
    }

    private int intervalSeconds(SessionInfo info) {
        int override = config.intervalOverrideSeconds();
        if (override > 0) {
            return override;
        }
        return info.heartbeatIntervalSeconds() > 0 ? info.heartbeatIntervalSeconds() : DEFAULT_INTERVAL_SECONDS;
    }

    private Grace grace(SessionInfo info) {
        return Grace.of(config.outageGraceMs(), intervalSeconds(info) * 1000L);
    }

    /** On the heartbeat thread: an alert waits for the alert service rather than being lost. */
    private void raise(Alert alert) {
        unsent.add(alert);
        raiseUnsent();
    }

    private void raiseUnsent() {
        Alerts target = alerts;
        if (target == null) {
            if (!unsent.isEmpty()) {
                LOG.info("No alert service yet: {} alert(s) wait for it", unsent.size());
            }
            return;
        }
        while (!unsent.isEmpty()) {
            target.raise(unsent.remove(0));
        }
    }

    private static HeartbeatConfig checked(HeartbeatConfig next) {
        if (next.intervalOverrideSeconds() < 0 || next.intervalOverrideSeconds() > 3600) {
            throw new IllegalArgumentException("intervalOverrideSeconds must be 0..3600, got " + next.intervalOverrideSeconds());
        }
        if (next.outageGraceMs() < 0) {
            throw new IllegalArgumentException("outageGraceMs must be >= 0, got " + next.outageGraceMs());
        }
        return next;
    }

    /** In the constructor (an invalid first configuration) the audit trail is not injected yet: it is looked up. */
    private void rejected(String reason) {
        FrameworkService.use(audit, HeartbeatComponent.class, site.gateway.api.audit.AuditTrail.class,
                t -> t.record("system", "config.rejected", HeartbeatConfig.PID, "rejected", java.util.Map.of("reason", reason)));
    }
}
