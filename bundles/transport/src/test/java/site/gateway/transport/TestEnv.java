package site.gateway.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.WmsSessionListener;

/** The gateway around the session in tests: records alerts and audit events. */
final class TestEnv implements TransportEnv {
    final InMemoryOutbox outbox;
    final TlsContextProvider tls;
    final String tenantId;
    final String gatewayId;
    final List<Alert> alerts = new CopyOnWriteArrayList<>();
    final List<AuditEvent> audits = new CopyOnWriteArrayList<>();
    final List<WmsSessionListener> listeners = new CopyOnWriteArrayList<>();
    volatile StatusSnapshot status = new StatusSnapshot(GatewayState.OPERATIONAL, "", System.currentTimeMillis());
    volatile CommandHandler commandHandler;
    /** What the register body still misses (null: complete), and how often the session asked. */
    volatile String incomplete;
    final java.util.concurrent.atomic.AtomicInteger incompleteAsked = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger bodiesBuilt = new java.util.concurrent.atomic.AtomicInteger();
    /** "opened <sessionId>" and "closed <reason>" as the marker would be registered and withdrawn. */
    final List<String> markers = new CopyOnWriteArrayList<>();
    /** The TLS generation of each session opened, in order, as its marker would carry it. */
    final List<Long> sessionGenerations = new CopyOnWriteArrayList<>();
    /** "accepted <generation>" and "refused <generation>: <reason>" as the verdict marker would show them. */
    final List<String> verdicts = new CopyOnWriteArrayList<>();

    TestEnv(InMemoryOutbox outbox, TlsContextProvider tls, String tenantId, String gatewayId) {
        this.outbox = outbox;
        this.tls = tls;
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public TlsContextProvider tls() {
        return tls;
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public StatusSnapshot status() {
        return status;
    }

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }

    @Override
    public void audit(String actor, String action, String target, String outcome, Map<String, Object> details) {
        audits.add(new AuditEvent(actor, action, target, outcome, details));
    }

    @Override
    public CommandHandler commandHandler() {
        return commandHandler;
    }

    @Override
    public List<WmsSessionListener> sessionListeners() {
        return listeners;
    }

    @Override
    public String registrationIncomplete() {
        incompleteAsked.incrementAndGet();
        return incomplete;
    }

    @Override
    public void sessionOpened(site.gateway.api.wms.SessionInfo info, long tlsGeneration) {
        markers.add("opened " + info.sessionId());
        sessionGenerations.add(tlsGeneration);
    }

    @Override
    public void certificateVerdict(long tlsGeneration, boolean accepted, String reason) {
        verdicts.add(accepted ? "accepted " + tlsGeneration : "refused " + tlsGeneration + ": " + reason);
    }

    /** True when the verdict marker showed {@code what} ("accepted 2", "refused 2") at some point. */
    boolean verdictShown(String what) {
        return verdicts.stream().anyMatch(v -> v.equals(what) || v.startsWith(what + ":"));
    }

    @Override
    public void sessionClosed(String reason, boolean onPurpose) {
        markers.add("closed " + reason + (onPurpose ? " (on purpose)" : ""));
    }

    @Override
    public byte[] registrationBody() {
        bodiesBuilt.incrementAndGet();
        return ("{\"protocol\":1,\"tenantId\":\"" + tenantId + "\",\"gatewayId\":\"" + gatewayId
                + "\",\"software\":{\"version\":\"test\",\"bundles\":[]},\"plcs\":[],\"lastAckedSeq\":" + outbox.lastAckedSeq()
                + ",\"startedAt\":" + System.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8);
    }

    long audited(String action, String outcome) {
        return audits.stream().filter(a -> a.action().equals(action) && a.outcome().equals(outcome)).count();
    }
}
