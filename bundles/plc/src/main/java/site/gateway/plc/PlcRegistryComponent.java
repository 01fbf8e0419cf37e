package site.gateway.plc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/** The PLC registry other bundles use: the running {@link ManagedPlc}s, by plcId. */
@Component(service = PlcRegistry.class)
public class PlcRegistryComponent implements PlcRegistry {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlcRegistryComponent.class);
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<ManagedPlc> plcs = new CopyOnWriteArrayList<>();
    /** Where the configured PLCs are listed; without it nothing counts as pending. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configAdmin;

    /** For DS. */
    public PlcRegistryComponent() {
    }

    /** Outside OSGi (tests). */
    PlcRegistryComponent(List<? extends ManagedPlc> plcs) {
        this.plcs.addAll(plcs);
    }

    /** Outside OSGi (tests): the PLCs running so far and where their configurations are. */
    PlcRegistryComponent(List<? extends ManagedPlc> plcs, ConfigurationAdmin configAdmin) {
        this(plcs);
        this.configAdmin = configAdmin;
    }

    @Override
    public List<PlcStatus> statuses() {
        return ofRunning(ManagedPlc::status, Comparator.comparing(PlcStatus::plcId));
    }

    @Override
    public List<PlcReadStats> readStats() {
        return ofRunning(ManagedPlc::readStats, Comparator.comparing(PlcReadStats::plcId));
    }

    /** One fact of each running PLC (null while it has none), in order. */
    private <T> List<T> ofRunning(java.util.function.Function<ManagedPlc, T> fact, Comparator<T> order) {
        List<T> out = new ArrayList<>();
        for (ManagedPlc plc : plcs) {
            T value = fact.apply(plc);
            if (value != null) {
                out.add(value);
            }
        }
        out.sort(order);
        return out;
    }

    @Override
    public Set<String> pendingConfigurations() {
        ConfigurationAdmin admin = configAdmin;
        if (admin == null) {
            return Set.of();
        }
        Configuration[] configured;
        try {
            configured = admin.listConfigurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + PlcConfig.PID + ")");
        } catch (java.io.IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the {} configurations: {}", PlcConfig.PID, e.toString());
            return Set.of();
        }
        if (configured == null) {
            return Set.of();
        }
        Set<String> running = new java.util.HashSet<>();
        for (PlcStatus s : statuses()) {
            running.add(s.plcId());
        }
        Set<String> pending = new LinkedHashSet<>();
        for (Configuration c : configured) {
            String plcId = plcIdOf(c);
            if (!running.contains(plcId)) {
                pending.add(plcId);
            }
        }
        return pending;
    }

    private static String plcIdOf(Configuration c) {
        Dictionary<String, Object> properties = c.getProperties();
        Object plcId = properties == null ? null : properties.get("plcId");
        return plcId == null || plcId.toString().isBlank() ? c.getPid() : plcId.toString().trim();
    }

    @Override
    public Optional<PlcStatus> status(String plcId) {
        return find(plcId).map(ManagedPlc::status);
    }

    @Override
    public Set<String> tags(String plcId) {
        return find(plcId).map(ManagedPlc::tags).orElse(Set.of());
    }

    @Override
    public java.util.Map<String, site.gateway.api.plc.WritableTag> writableTags(String plcId) {
        return find(plcId).map(ManagedPlc::writableTags).orElse(java.util.Map.of());
    }

    @Override
    public CompletionStage<List<TagValue>> read(String plcId, List<String> tags, Duration timeout) {
        return find(plcId).map(p -> p.read(tags, timeout)).orElseGet(() -> unknown(plcId));
    }

    @Override
    public CompletionStage<List<TagWrite>> write(String plcId, List<TagWrite> writes, Duration timeout) {
        return find(plcId).map(p -> p.write(writes, timeout)).orElseGet(() -> unknown(plcId));
    }

    /** The first PLC with this id; a second configuration with the same id is logged and ignored. */
    private Optional<ManagedPlc> find(String plcId) {
        ManagedPlc found = null;
        for (ManagedPlc plc : plcs) {
            if (plcId != null && plcId.equals(plc.plcId())) {
                if (found == null) {
                    found = plc;
                } else {
                    LOG.warn("plcId {} is configured twice; commands go to the first configuration only", plcId);
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static <T> CompletionStage<T> unknown(String plcId) {
        return CompletableFuture.failedFuture(new PlcException(PlcException.Reason.UNKNOWN_PLC, "no PLC '" + plcId + "' is configured"));
    }
}
