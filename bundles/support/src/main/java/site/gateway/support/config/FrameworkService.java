package site.gateway.support.config;

import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * Uses a service of the framework a class was loaded in, if there is one. For a component built by
 * constructor injection: its dynamic references are injected only after the constructor, so an audit of an
 * invalid first configuration, made in the constructor, finds the audit trail here instead.
 */
public final class FrameworkService {
    private FrameworkService() {
    }

    /**
     * Calls {@code action} with the injected service if there is one, else with the highest-ranked {@code type}
     * service of the framework; does nothing outside OSGi or without one.
     */
    public static <T> void use(T injected, Class<?> owner, Class<T> type, Consumer<T> action) {
        if (injected != null) {
            action.accept(injected);
            return;
        }
        Bundle bundle = FrameworkUtil.getBundle(owner);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return;
        }
        ServiceReference<T> ref = context.getServiceReference(type);
        T service = ref == null ? null : context.getService(ref);
        if (service == null) {
            return;
        }
        try {
            action.accept(service);
        } finally {
            context.ungetService(ref);
        }
    }
}
