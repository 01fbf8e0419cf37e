package site.gateway.transport;

import java.util.Hashtable;
import java.util.Objects;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import site.gateway.api.wms.WmsCertificateVerdict;

/**
 * The {@link WmsCertificateVerdict} marker: the WMS's last verdict on the client certificate, registered at the
 * first one and updated in place, so that certificate rotation (which follows it) reads the latest even when it
 * binds late. A verdict equal to the last one is not announced again.
 */
final class VerdictMarker {
    private static final WmsCertificateVerdict MARKER = new WmsCertificateVerdict() {
    };

    private final BundleContext context;
    private ServiceRegistration<WmsCertificateVerdict> registration; // guarded by this
    private Hashtable<String, Object> last; // guarded by this

    /** {@code context} null (tests without a framework): nothing is registered. */
    VerdictMarker(BundleContext context) {
        this.context = context;
    }

    synchronized void verdict(long tlsGeneration, boolean accepted, String reason) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(WmsCertificateVerdict.TLS_GENERATION, tlsGeneration);
        properties.put(WmsCertificateVerdict.ACCEPTED, accepted);
        if (!accepted) {
            properties.put(WmsCertificateVerdict.REASON, Objects.requireNonNullElse(reason, "refused"));
        }
        if (context == null || properties.equals(last)) {
            return;
        }
        last = properties;
        try {
            if (registration == null) {
                registration = context.registerService(WmsCertificateVerdict.class, MARKER, properties);
            } else {
                registration.setProperties(properties);
            }
        } catch (IllegalStateException stopping) {
            registration = null; // the bundle is stopping
        }
    }

    synchronized void unregister() {
        if (registration != null) {
            SessionMarker.unregister(registration);
        }
        registration = null;
        last = null;
    }
}
