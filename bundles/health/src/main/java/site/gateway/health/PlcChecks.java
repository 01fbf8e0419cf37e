package site.gateway.health;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;
import site.gateway.support.thread.DaemonThreads;

/**
 * Keeps one health check service per managed PLC ({@code hc.name} "PLC &lt;id&gt;", tags gateway, plc), so
 * each PLC is its own line on /system/health and the console. Follows the registry: a PLC added or removed
 * gets or loses its check when the registry comes and within {@value #RECONCILE_SECONDS} s of the change
 * (the API has no event for PLCs coming and going; the list is cheap to read).
 */
@Component(service = {}, immediate = true, configurationPid = HealthConfig.PID)
public class PlcChecks {
    static final long RECONCILE_SECONDS = 5;

    private final BundleContext context;
    private final HealthConfig config;
    private final Map<String, ServiceRegistration<HealthCheck>> registered = new HashMap<>();
    private volatile PlcRegistry registry;
    private boolean active = true;
    private java.util.concurrent.ScheduledExecutorService timer;

    @Activate
    public PlcChecks(BundleContext context, HealthConfig config) {
        this.context = context;
        this.config = config;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRegistry(PlcRegistry bound) {
        registry = bound;
        reconcile();
    }

    void unbindRegistry(PlcRegistry gone) {
        if (registry == gone) {
            registry = null;
        }
        reconcile();
    }

    @Activate
    void start() {
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-health-plcs"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                // a registry going away mid-read: the next round sees the new state
            }
        }, 0, RECONCILE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Deactivate
    synchronized void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
        active = false;
        registered.values().forEach(PlcChecks::unregister);
        registered.clear();
    }

    /** Registers checks for PLCs that have none and removes those of PLCs that are gone. */
    synchronized void reconcile() {
        if (!active || context == null) {
            return;
        }
        PlcRegistry current = registry;
        List<PlcStatus> plcs = current == null ? List.of() : current.statuses();
        Set<String> ids = new HashSet<>();
        for (PlcStatus plc : plcs) {
            ids.add(plc.plcId());
            registered.computeIfAbsent(plc.plcId(), this::register);
        }
        registered.entrySet().removeIf(e -> {
            if (!ids.contains(e.getKey())) {
                unregister(e.getValue());
                return true;
            }
            return false;
        });
    }

    Set<String> checkedPlcs() {
        synchronized (this) {
            return Set.copyOf(registered.keySet());
        }
    }

    private ServiceRegistration<HealthCheck> register(String plcId) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "PLC " + plcId);
        properties.put(HealthCheck.TAGS, new String[] {Checks.GATEWAY, "plc"});
        return context.registerService(HealthCheck.class,
                new PlcCheck(plcId, () -> registry, config.plcReadAgeWarnSeconds(), System::currentTimeMillis), properties);
    }

    private static void unregister(ServiceRegistration<HealthCheck> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
