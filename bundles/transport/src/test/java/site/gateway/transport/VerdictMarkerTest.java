package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import site.gateway.api.wms.WmsCertificateVerdict;

/** Issue 17.2: the WMS's verdict is one marker service, registered once and updated in place. */
class VerdictMarkerTest {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Test
    void registeredAtTheFirstVerdictThenUpdatedInPlace() {
        VerdictMarker marker = new VerdictMarker(framework());
        marker.verdict(1, true, null);
        marker.verdict(1, true, null); // the same verdict again: a registration over the same context
        marker.verdict(2, false, "register answered 401");
        marker.verdict(3, true, null);
        marker.unregister();
        marker.unregister();
        assertThat(calls).containsExactly(
                "register {accepted=true, tlsGeneration=1}",
                "update {accepted=false, reason=register answered 401, tlsGeneration=2}",
                "update {accepted=true, tlsGeneration=3}",
                "unregister");
    }

    @Test
    void withoutAFrameworkNothingIsRegistered() {
        VerdictMarker marker = new VerdictMarker(null);
        marker.verdict(1, false, null);
        marker.unregister();
        assertThat(calls).isEmpty();
    }

    /** Just the service registry calls the marker makes, recorded with sorted properties. */
    @SuppressWarnings("unchecked")
    private BundleContext framework() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> switch (m.getName()) {
                    case "setProperties" -> {
                        calls.add("update " + sorted((Dictionary<String, Object>) a[0]));
                        yield null;
                    }
                    case "unregister" -> {
                        calls.add("unregister");
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> switch (m.getName()) {
                    case "registerService" -> {
                        assertThat(a[0]).isEqualTo(WmsCertificateVerdict.class);
                        calls.add("register " + sorted((Dictionary<String, Object>) a[2]));
                        yield registration;
                    }
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    private static String sorted(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return new java.util.TreeMap<>(m).toString();
    }
}
