package site.gateway.audit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditTrail;

/**
 * Audits every configuration create, update and delete: the PID and the names of the keys that
 * changed, never their values (some are secret-adjacent). To tell "created" from "updated" and to
 * name changed keys it keeps, in memory only, a fingerprint (hash) of each value.
 */
@Component(service = ConfigurationListener.class)
public class ConfigAuditor implements ConfigurationListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigAuditor.class);
    static final String ACTOR = "config-admin";
    private static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename");

    private final AuditTrail audit;
    private final ConfigurationAdmin configAdmin;
    private final Map<String, Map<String, Integer>> fingerprints = new ConcurrentHashMap<>();

    @Activate
    public ConfigAuditor(@Reference AuditTrail audit, @Reference ConfigurationAdmin configAdmin) {
        this.audit = audit;
        this.configAdmin = configAdmin;
        try {
            Configuration[] existing = configAdmin.listConfigurations(null);
            for (Configuration c : existing == null ? new Configuration[0] : existing) {
                fingerprints.put(c.getPid(), fingerprint(c.getProperties()));
            }
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list configurations; the first update of each will be audited as config.created", e);
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        Map<String, Object> details = new LinkedHashMap<>();
        if (event.getFactoryPid() != null) {
            details.put("factoryPid", event.getFactoryPid());
        }
        switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> {
                Map<String, Integer> now = fingerprint(properties(pid));
                Map<String, Integer> before = fingerprints.put(pid, now);
                details.put("changedKeys", changedKeys(before == null ? Map.of() : before, now));
                audit.record(ACTOR, before == null ? "config.created" : "config.updated", pid, "ok", details);
            }
            case ConfigurationEvent.CM_DELETED -> {
                fingerprints.remove(pid);
                audit.record(ACTOR, "config.deleted", pid, "ok", details);
            }
            case ConfigurationEvent.CM_LOCATION_CHANGED -> audit.record(ACTOR, "config.location-changed", pid, "ok",
                    details);
            default -> details.put("eventType", event.getType());
        }
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            // listConfigurations, unlike getConfiguration, never creates or binds a configuration
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot read configuration {} to name its changed keys: {}", pid, e.toString());
            return null;
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    /** Hash of each value: enough to see that a key changed, useless to recover a secret. */
    static Map<String, Integer> fingerprint(Dictionary<String, Object> properties) {
        Map<String, Integer> out = new TreeMap<>();
        if (properties == null) {
            return out;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!BOOKKEEPING.contains(key)) {
                Object value = properties.get(key);
                out.put(key, value instanceof Object[] array ? Arrays.deepHashCode(array)
                        : value != null && value.getClass().isArray() ? arrayHash(value) : Objects.hashCode(value));
            }
        }
        return out;
    }

    private static int arrayHash(Object primitiveArray) {
        int h = 1;
        for (int i = 0; i < java.lang.reflect.Array.getLength(primitiveArray); i++) {
            h = 31 * h + Objects.hashCode(java.lang.reflect.Array.get(primitiveArray, i));
        }
        return h;
    }

    private static List<String> changedKeys(Map<String, Integer> before, Map<String, Integer> now) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            if (!e.getValue().equals(before.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        for (String key : before.keySet()) {
            if (!now.containsKey(key)) {
                changed.add(key);
            }
        }
        changed.sort(null);
        return changed;
    }
}
