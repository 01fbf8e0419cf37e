package site.gateway.testsupport;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A bundle context that only records what a component registers by hand: each registration, properties update
 * and unregistration, in order, so that a test can check what a marker service shows and when. Nothing else of
 * the framework is there (other calls return null).
 */
public final class ServiceRecorder {

    /** One call on the registry: {@code register}, {@code update} or {@code unregister}, with the properties then. */
    public record Call(String kind, Class<?> type, Map<String, Object> properties) {
        @Override
        public String toString() {
            return kind + (properties == null ? "" : " " + properties);
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final BundleContext context = proxy(BundleContext.class, (name, args) -> {
        if (name.equals("registerService") && args[0] instanceof Class<?> type) {
            calls.add(new Call("register", type, sorted(args[2])));
            return registration(type);
        }
        return null;
    });

    public BundleContext context() {
        return context;
    }

    /** Every call so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one kind, in order. */
    public List<Call> calls(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).toList();
    }

    private ServiceRegistration<?> registration(Class<?> type) {
        return proxy(ServiceRegistration.class, (name, args) -> {
            switch (name) {
                case "setProperties" -> calls.add(new Call("update", type, sorted(args[0])));
                case "unregister" -> calls.add(new Call("unregister", type, null));
                default -> { }
            }
            return null;
        });
    }

    private static Map<String, Object> sorted(Object dictionary) {
        Map<String, Object> m = new TreeMap<>();
        if (dictionary instanceof Dictionary<?, ?> d) {
            for (var keys = d.keys(); keys.hasMoreElements();) {
                Object k = keys.nextElement();
                m.put(String.valueOf(k), d.get(k));
            }
        }
        return m;
    }

    private interface Handler {
        Object call(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(ServiceRecorder.class.getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    case "toString" -> type.getSimpleName() + " (recorded)";
                    default -> handler.call(m.getName(), a);
                });
    }
}
