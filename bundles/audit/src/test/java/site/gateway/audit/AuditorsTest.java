package site.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;

class AuditorsTest {
    final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();
    final AuditTrail trail = recorded::add;
    final Map<String, Hashtable<String, Object>> configs = new TreeMap<>();

    @Test
    void configurationChangesAreAuditedWithKeyNamesButNeverValues() {
        configs.put("gateway.wms", props("endpoints", "https://a:8443", "backoffMaxMs", 10000));
        ConfigAuditor auditor = new ConfigAuditor(trail, fakeConfigAdmin());

        configs.put("gateway.crypto", props("keyPassphraseFile", "/run/creds/s3cret-pass", "rotationDays", 90));
        auditor.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "gateway.crypto"));
        configs.put("gateway.wms", props("endpoints", "https://b:8443", "backoffMaxMs", 10000));
        auditor.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "gateway.wms"));
        configs.get("gateway.crypto").put("keyPassphraseFile", "/run/creds/other-s3cret");
        auditor.configurationEvent(event(ConfigurationEvent.CM_UPDATED, "gateway.crypto"));
        configs.remove("gateway.wms");
        auditor.configurationEvent(event(ConfigurationEvent.CM_DELETED, "gateway.wms"));

        assertThat(recorded).extracting(AuditEvent::action, AuditEvent::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple("config.created", "gateway.crypto"),
                org.assertj.core.groups.Tuple.tuple("config.updated", "gateway.wms"),
                org.assertj.core.groups.Tuple.tuple("config.updated", "gateway.crypto"),
                org.assertj.core.groups.Tuple.tuple("config.deleted", "gateway.wms"));
        assertThat(recorded.get(0).details().get("changedKeys")).isEqualTo(List.of("keyPassphraseFile", "rotationDays"));
        assertThat(recorded.get(1).details().get("changedKeys")).isEqualTo(List.of("endpoints"));
        assertThat(recorded.get(2).details().get("changedKeys")).isEqualTo(List.of("keyPassphraseFile"));
        assertThat(recorded.toString()).doesNotContain("s3cret").doesNotContain("https://");
    }

    @Test
    void bundleLifecycleIsAuditedWithWhoDidIt() {
        List<BundleListener> listeners = new ArrayList<>();
        BundleContext context = proxy(BundleContext.class, (m, a) -> switch (m) {
            case "addBundleListener" -> listeners.add((BundleListener) a[0]);
            case "removeBundleListener" -> listeners.remove(a[0]);
            default -> null;
        });
        BundleAuditor auditor = new BundleAuditor(trail, context);
        assertThat(listeners).containsExactly(auditor);

        Bundle console = bundle(12, "org.apache.felix.webconsole");
        Bundle plc = bundle(40, "site.gateway.plc");
        auditor.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, plc, console));
        auditor.bundleChanged(new BundleEvent(BundleEvent.RESOLVED, plc));
        auditor.bundleChanged(new BundleEvent(BundleEvent.STARTED, plc));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UPDATED, plc));
        auditor.bundleChanged(new BundleEvent(BundleEvent.STOPPED, plc));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, plc));
        auditor.deactivate();

        assertThat(recorded).extracting(AuditEvent::action).containsExactly("bundle.installed", "bundle.started",
                "bundle.updated", "bundle.stopped", "bundle.uninstalled");
        assertThat(recorded.get(0).actor()).isEqualTo("org.apache.felix.webconsole");
        assertThat(recorded.get(1).actor()).isEqualTo("system");
        assertThat(recorded.get(0).target()).isEqualTo("site.gateway.plc");
        assertThat(recorded.get(0).details()).containsEntry("bundleId", 40L).containsEntry("version", "1.2.3");
        assertThat(listeners).isEmpty();
    }

    private static Hashtable<String, Object> props(Object... kv) {
        Hashtable<String, Object> t = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            t.put((String) kv[i], kv[i + 1]);
        }
        return t;
    }

    private ConfigurationEvent event(int type, String pid) {
        @SuppressWarnings("unchecked")
        org.osgi.framework.ServiceReference<ConfigurationAdmin> ref =
                proxy(org.osgi.framework.ServiceReference.class, (m, a) -> null);
        return new ConfigurationEvent(ref, type, null, pid);
    }

    private ConfigurationAdmin fakeConfigAdmin() {
        return proxy(ConfigurationAdmin.class, (m, a) -> {
            if (!m.equals("listConfigurations")) {
                throw new UnsupportedOperationException(m + " must not be called: it could create a configuration");
            }
            String filter = (String) a[0];
            List<Configuration> out = new ArrayList<>();
            configs.forEach((pid, p) -> {
                if (filter == null || filter.equals("(service.pid=" + pid + ")")) {
                    out.add(configuration(pid, p));
                }
            });
            return out.isEmpty() ? null : out.toArray(new Configuration[0]);
        });
    }

    private static Configuration configuration(String pid, Hashtable<String, Object> p) {
        Dictionary<String, Object> copy = new Hashtable<>(p);
        copy.put("service.pid", pid);
        return proxy(Configuration.class, (m, a) -> switch (m) {
            case "getPid" -> pid;
            case "getProperties" -> copy;
            default -> null;
        });
    }

    private static Bundle bundle(long id, String bsn) {
        return proxy(Bundle.class, (m, a) -> switch (m) {
            case "getBundleId" -> id;
            case "getSymbolicName" -> bsn;
            case "getVersion" -> new Version(1, 2, 3);
            case "getLocation" -> "file:deploy/" + bsn + ".jar";
            case "equals" -> a[0] == null ? false : ((Bundle) a[0]).getBundleId() == id;
            case "hashCode" -> (int) id;
            default -> null;
        });
    }

    interface Handler {
        Object call(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(AuditorsTest.class.getClassLoader(), new Class<?>[] { type },
                (p, method, args) -> handler.call(method.getName(), args));
    }
}
