package site.gateway.transport;

import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionOpen;

/**
 * The {@link WmsSessionOpen} marker service, registered while a session is open, so that components that
 * start late see the open session at once; a closed session's marker keeps why it closed.
 */
final class SessionMarker {
    private final BundleContext context;
    private final Object lock = new Object();
    private OpenSession marker; // guarded by lock
    private ServiceRegistration<WmsSessionOpen> registration; // guarded by lock

    /** {@code context} null (tests without a framework): nothing is registered. */
    SessionMarker(BundleContext context) {
        this.context = context;
    }

    /** {@code tlsGeneration}: the TLS context generation of the session's connections (certificate rotation reads it). */
    void opened(SessionInfo info, long tlsGeneration) {
        synchronized (lock) {
            close("replaced", true);
            if (context == null) {
                return;
            }
            marker = new OpenSession(info, tlsGeneration);
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put(WmsSessionOpen.TLS_GENERATION, tlsGeneration);
            try {
                registration = context.registerService(WmsSessionOpen.class, marker, properties);
            } catch (IllegalStateException stopping) {
                registration = null; // the bundle is stopping
            }
        }
    }

    void closed(String reason, boolean onPurpose) {
        synchronized (lock) {
            close(reason, onPurpose);
        }
    }

    private void close(String reason, boolean onPurpose) {
        if (registration != null) {
            marker.close(reason, onPurpose);
            unregister(registration);
        }
        registration = null;
        marker = null;
    }

    static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it with the stopping bundle
        }
    }

    /** The {@link WmsSessionOpen} marker of one session. */
    private static final class OpenSession implements WmsSessionOpen {
        private final SessionInfo opened;
        private final long tlsGeneration;
        private volatile String closeReason;
        private volatile boolean closedOnPurpose;

        OpenSession(SessionInfo opened, long tlsGeneration) {
            this.opened = opened;
            this.tlsGeneration = tlsGeneration;
        }

        @Override
        public long tlsGeneration() {
            return tlsGeneration;
        }

        void close(String reason, boolean onPurpose) {
            closedOnPurpose = onPurpose;
            closeReason = reason == null ? "closed" : reason;
        }

        @Override
        public boolean closedOnPurpose() {
            return closedOnPurpose;
        }

        @Override
        public SessionInfo opened() {
            return opened;
        }

        @Override
        public String closeReason() {
            return closeReason;
        }
    }
}
