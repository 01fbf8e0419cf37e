package site.gateway.transport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
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

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.crypto.TlsContextGeneration;
import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.config.FrameworkService;

/**
 * The WMS transport (configuration {@code gateway.wms}). Offers {@link WmsSession}, listens to the outbox
 * (to wake the sender and announce dropped ranges) and to the gateway status (to send {@code status}).
 * A configuration change is applied to the running session; an invalid one is logged, audited and ignored.
 * <p>
 * Only {@link WmsSession} is a DS service; this component gives the session what it needs from the gateway
 * ({@link TransportEnv}). The roles it plays for other bundles are registered by {@link SessionRoles}, the
 * marker of an open session by {@link SessionMarker}, the WMS's verdict on the client certificate by
 * {@link VerdictMarker}. It follows the crypto bundle's {@link TlsContextGeneration} marker instead of being
 * called back (issue 17.2).
 */
@Component(service = WmsSession.class, configurationPid = TransportConfig.PID, immediate = true)
@Designate(ocd = TransportConfig.class)
public class TransportComponent implements WmsSession, TransportEnv {
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    private final Outbox outbox;
    private final TlsContextProvider tls;
    private final GatewayIdentity identity;
    private final RegistrationBody registrationBody;
    private final List<WmsSessionListener> listeners = new CopyOnWriteArrayList<>();
    private final SessionEngine engine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile GatewayStatus status;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Alerts alerts;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail audit;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandHandler commandHandler;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile PlcRegistry plcs;

    private final ConfigGate<Settings> gate = new ConfigGate<>(TransportConfig.PID, LOG, this::rejected);
    private volatile Settings settings;
    private final SessionRoles roles = new SessionRoles();
    private final SessionMarker marker;
    private final VerdictMarker verdict;

    @Activate
    public TransportComponent(@Reference Outbox outbox, @Reference TlsContextProvider tls, @Reference GatewayIdentity identity,
            BundleContext context, TransportConfig config) throws Exception {
        this.outbox = outbox;
        this.tls = tls;
        this.identity = identity;
        this.registrationBody = new RegistrationBody(new Wire(), new BundleInventory(context), () -> plcs);
        this.settings = gate.first(() -> Settings.from(config));
        this.marker = new SessionMarker(context);
        this.verdict = new VerdictMarker(context);
        this.engine = new SessionEngine(this, settings);
        roles.register(context, engine);
        engine.start();
        LOG.info("WMS transport started with endpoints {}", settings.endpoints());
    }

    @Modified
    void modified(TransportConfig config) {
        gate.check(() -> Settings.from(config), "the previous one").ifPresent(next -> {
            settings = next;
            engine.update(next);
            audit("system", "config.applied", TransportConfig.PID, "ok", Map.of("endpoints", next.endpoints().toString()));
        });
    }

    private void rejected(String reason) {
        FrameworkService.use(audit, TransportComponent.class, AuditTrail.class,
                t -> t.record("system", "config.rejected", TransportConfig.PID, "rejected", Map.of("detail", reason)));
    }

    @Deactivate
    void deactivate() {
        roles.unregisterAll();
        engine.stop();
        sessionClosed("gateway shutting down", true);
        verdict.unregister();
        LOG.info("WMS transport stopped");
    }

    /** A listener that comes while the session is open is told so at once. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSessionListener(WmsSessionListener listener) {
        listeners.add(listener);
        engine.replayTo(listener);
    }

    void removeSessionListener(WmsSessionListener listener) {
        listeners.remove(listener);
    }

    /**
     * The crypto bundle's TLS context, read from its marker's properties when bound (it may have changed before
     * this component started) and whenever they are updated.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "tlsContextUpdated")
    void bindTlsContext(TlsContextGeneration marker, Map<String, Object> properties) {
        TlsContextState.of(properties).applyTo(engine);
    }

    void tlsContextUpdated(TlsContextGeneration marker, Map<String, Object> properties) {
        TlsContextState.of(properties).applyTo(engine);
    }

    void unbindTlsContext(TlsContextGeneration marker) {
        // nothing kept: the next context is read when its marker comes
    }

    // ---------------------------------------------------------------- WmsSession

    @Override
    public SessionInfo info() {
        return engine.info();
    }

    @Override
    public boolean send(String json) {
        return engine.send(json);
    }

    // ---------------------------------------------------------------- TransportEnv

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
        return identity.gatewayId();
    }

    @Override
    public StatusSnapshot status() {
        GatewayStatus s = status;
        return s != null ? s.current() : new StatusSnapshot(GatewayState.OPERATIONAL, "", System.currentTimeMillis());
    }

    @Override
    public void alert(Alert alert) {
        Alerts a = alerts;
        if (a != null) {
            a.raise(alert);
        } else {
            LOG.error("ALERT {} {} (no alert service): {}", alert.severity().wireName(), alert.code(), alert.message());
        }
    }

    @Override
    public void audit(String actor, String action, String target, String outcome, Map<String, Object> details) {
        AuditTrail a = audit;
        if (a != null) {
            a.record(actor, action, target, outcome, details);
        }
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
    public byte[] registrationBody() {
        return registrationBody.build(identity, outbox.lastAckedSeq());
    }

    @Override
    public String registrationIncomplete() {
        PlcRegistry registry = plcs;
        if (registry == null) {
            return "the PLC registry is not available yet";
        }
        java.util.Set<String> pending = registry.pendingConfigurations();
        return pending.isEmpty() ? null : "configured PLC(s) " + pending + " not started yet";
    }

    @Override
    public void sessionOpened(SessionInfo info, long tlsGeneration) {
        marker.opened(info, tlsGeneration);
    }

    @Override
    public void certificateVerdict(long tlsGeneration, boolean accepted, String reason) {
        verdict.verdict(tlsGeneration, accepted, reason);
    }

    @Override
    public void sessionClosed(String reason, boolean onPurpose) {
        marker.closed(reason, onPurpose);
    }

    SessionState state() {
        return engine.info().state();
    }
}
