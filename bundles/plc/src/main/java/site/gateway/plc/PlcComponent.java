package site.gateway.plc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.Severity;
import site.gateway.support.config.ConfigGate;

/**
 * One managed PLC per {@code gateway.plc} factory configuration. A valid change restarts the PLC with the
 * new settings; an invalid one is logged and audited and the running settings stay.
 *
 * <p>Over 300 lines because it is the PLC's whole service surface (configuration, the driver whiteboard, the
 * {@code ManagedPlc} calls, telemetry into the buffer and status reports), each method a short hand-over to
 * {@link PlcEngine} or to a service; splitting it would spread one component's references over several classes.
 */
@Component(service = ManagedPlc.class, configurationPid = PlcConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PlcConfig.class, factory = true)
public class PlcComponent implements ManagedPlc, PlcEngine.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PlcComponent.class);

    private final GatewayIdentity identity;
    /** Mandatory: a PLC polls only while readings can be buffered (dynamic, so a replaced store rebinds in place). */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Outbox outbox;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Alerts alerts;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile GatewayStatus gatewayStatus;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditTrail audit;

    private final TelemetryEncoder encoder = new TelemetryEncoder();
    private final AtomicLong telemetryLost = new AtomicLong();
    /** Telemetry the buffer failed on (not "full") since it last took some; 0 while it works. */
    private final AtomicLong bufferFailing = new AtomicLong();
    private final java.util.Set<String> unsendableTags = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DriverServices drivers = new DriverServices();
    /** Set at activation: it names this PLC's configuration (a factory configuration) in the log and audit. */
    private ConfigGate<PlcSettings> gate;
    private volatile PlcEngine engine;
    private volatile boolean alerted;

    @Activate
    public PlcComponent(@Reference GatewayIdentity identity) {
        this.identity = identity;
    }

    /** Outside OSGi (tests): the collaborators DS would inject. */
    PlcComponent(GatewayIdentity identity, Outbox outbox, Alerts alerts, GatewayStatus gatewayStatus, AuditTrail audit) {
        this.identity = identity;
        this.outbox = outbox;
        this.alerts = alerts;
        this.gatewayStatus = gatewayStatus;
        this.audit = audit;
    }

    @Reference(service = PlcDriver.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDriver(ServiceReference<PlcDriver> ref, PlcDriver driver) {
        addDriver(ref, propertiesOf(ref), driver);
    }

    void unbindDriver(ServiceReference<PlcDriver> ref) {
        removeDriver(ref);
    }

    void addDriver(Object key, Map<String, ?> properties, PlcDriver driver) {
        drivers.add(key, properties, driver);
        notifyDrivers();
    }

    void removeDriver(Object key) {
        drivers.remove(key);
        notifyDrivers();
    }

    @Activate
    void activate(BundleContext context, PlcConfig config, Map<String, Object> properties) {
        drivers.useContext(context);
        String pid = String.valueOf(properties.get("service.pid"));
        gate = new ConfigGate<>(PlcConfig.PID + " (" + pid + ")", LOG,
                reason -> record("config.rejected", pid, "rejected", reason));
        apply(gate.first(() -> PlcSettings.parse(config, properties)));
    }

    @Modified
    void modified(PlcConfig config, Map<String, Object> properties) {
        PlcEngine current = engine;
        gate.check(() -> PlcSettings.parse(config, properties), "the running configuration of PLC "
                + current.settings().plcId()).ifPresent(this::apply);
    }

    @Deactivate
    void deactivate() {
        PlcEngine current = engine;
        engine = null;
        if (current != null) {
            current.stop();
            report(current.settings().plcId(), null);
            LOG.info("PLC {} stopped", current.settings().plcId());
        }
    }

    private void apply(PlcSettings settings) {
        PlcEngine current = engine;
        if (current != null && current.settings().equals(settings)) {
            return;
        }
        if (current != null) {
            current.stop();
            if (!current.settings().plcId().equals(settings.plcId())) {
                report(current.settings().plcId(), null);
            }
        }
        alerted = false;
        PlcEngine next = new PlcEngine(settings, drivers, this);
        engine = next;
        next.start();
        LOG.info("PLC {} {}: {} every {} ms, {} tags{}", settings.plcId(), current == null ? "started" : "reconfigured",
                settings.connectionForLog(), settings.pollIntervalMs(), settings.tags().size(), settings.enabled() ? "" : " (disabled)");
        record("config.applied", settings.plcId(), "ok", settings.connectionForLog());
    }

    PlcEngine engine() {
        return engine;
    }

    @Override
    public String plcId() {
        PlcEngine current = engine;
        return current == null ? null : current.settings().plcId();
    }

    @Override
    public PlcStatus status() {
        PlcEngine current = engine;
        return current == null ? null : current.status();
    }

    @Override
    public Set<String> tags() {
        PlcEngine current = engine;
        return current == null ? Set.of() : current.settings().tags().keySet();
    }

    @Override
    public java.util.Map<String, site.gateway.api.plc.WritableTag> writableTags() {
        PlcEngine current = engine;
        return current == null ? java.util.Map.of() : current.settings().writableTags();
    }

    @Override
    public PlcReadStats readStats() {
        PlcEngine current = engine;
        return current == null ? null : current.readStats();
    }

    @Override
    public CompletionStage<List<TagValue>> read(List<String> tags, Duration timeout) {
        PlcEngine current = engine;
        return current == null ? notRunning() : current.read(tags, timeout);
    }

    @Override
    public CompletionStage<List<TagWrite>> write(List<TagWrite> writes, Duration timeout) {
        PlcEngine current = engine;
        return current == null ? notRunning() : current.write(writes, timeout);
    }

    private static <T> CompletionStage<T> notRunning() {
        return CompletableFuture.failedFuture(new PlcException(PlcException.Reason.UNKNOWN_PLC, "PLC is not running"));
    }

    @Override
    public boolean telemetry(PlcSettings settings, long ts, List<TagValue> readings) {
        Outbox target = outbox;
        if (target == null) {
            if (telemetryLost.getAndIncrement() == 0) {
                LOG.warn("PLC {}: no outbox available, telemetry is not buffered", settings.plcId());
            }
            return false;
        }
        TelemetryEncoder.Encoded encoded = encoder.encode(identity.tenantId(), identity.gatewayId(), settings.plcId(), ts, readings);
        encoded.unsendable().forEach(tag -> reportUnsendable(settings.plcId(), tag));
        if (encoded.message() == null) {
            return true;
        }
        try {
            target.append(MessageType.TELEMETRY, encoded.message());
            telemetryLost.set(0);
            bufferRecovered(settings.plcId());
            return true;
        } catch (OutboxFullException e) {
            if (telemetryLost.getAndIncrement() == 0) {
                LOG.warn("PLC {}: outbox refused telemetry: {}", settings.plcId(), e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            bufferFailed(settings.plcId(), e);
            return false;
        }
    }

    /**
     * The buffer failed (not "full"): a buffer error, not a PLC fault. The PLC session stays up and the
     * readings are offered again; logged, reported and alerted once per episode, not per reading.
     */
    private void bufferFailed(String plcId, RuntimeException e) {
        if (bufferFailing.getAndIncrement() > 0) {
            return;
        }
        String message = "PLC " + plcId + ": the buffer refused telemetry (" + e + "); the PLC stays connected and"
                + " changed values are offered again";
        LOG.error(message, e);
        GatewayStatus status = gatewayStatus;
        if (status != null) {
            status.report(bufferSource(plcId), "buffer error: " + e.getMessage());
        }
        Alerts target = alerts;
        if (target != null) {
            try {
                target.raise(new Alert(Severity.CRITICAL, "buffer.error", message, plcId,
                        Map.of("error", String.valueOf(e.getMessage()))));
            } catch (RuntimeException alertFailed) {
                LOG.debug("Alert about the buffer error not raised: {}", alertFailed.toString());
            }
        }
    }

    private void bufferRecovered(String plcId) {
        long failures = bufferFailing.getAndSet(0);
        if (failures == 0) {
            return;
        }
        LOG.info("PLC {}: the buffer takes telemetry again (after {} refused)", plcId, failures);
        GatewayStatus status = gatewayStatus;
        if (status != null) {
            status.report(bufferSource(plcId), null);
        }
    }

    static String bufferSource(String plcId) {
        return "buffer:plc:" + plcId;
    }

    /** Once per tag: a tag never read good (wrong address, unsupported type) is not in telemetry; say so. */
    private void reportUnsendable(String plcId, String tag) {
        if (!unsendableTags.add(tag)) {
            return;
        }
        String message = "PLC " + plcId + " tag " + tag + " has no good value yet (wrong address or type?); it is left out of telemetry until it reads good";
        LOG.warn(message);
        Alerts target = alerts;
        if (target != null) {
            target.raise(new Alert(Severity.WARNING, "plc.tag-unreadable", message, plcId, java.util.Map.of("tag", tag)));
        }
    }

    @Override
    public void statusChanged(PlcStatus status, PlcStatus previous) {
        if (status.state() == PlcState.UNREACHABLE) {
            report(status.plcId(), "PLC " + status.plcId() + " unreachable: " + status.reason());
            if (!alerted) {
                alerted = true;
                Alerts target = alerts;
                if (target != null) {
                    target.raise(new Alert(Severity.WARNING, "plc.unreachable",
                            "PLC " + status.plcId() + " unreachable: " + status.reason(), status.plcId(),
                            Map.of("reason", String.valueOf(status.reason()))));
                }
            }
        } else {
            alerted = false;
            report(status.plcId(), null);
        }
    }

    private void report(String plcId, String problem) {
        GatewayStatus target = gatewayStatus;
        if (target != null) {
            target.report("plc:" + plcId, problem);
        }
    }

    private void notifyDrivers() {
        PlcEngine current = engine;
        if (current != null) {
            current.driversChanged();
        }
    }

    private void record(String action, String target, String outcome, String detail) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record("system", action, PlcConfig.PID + ":" + target, outcome, Map.of("detail", detail));
        }
    }

    private static Map<String, Object> propertiesOf(ServiceReference<?> ref) {
        Map<String, Object> props = new java.util.HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            props.put(key, ref.getProperty(key));
        }
        return props;
    }
}
