package site.gateway.crypto;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import site.gateway.api.crypto.TlsContextGeneration;

/**
 * The {@link TlsContextGeneration} marker: which TLS context is current, as service properties updated in place
 * when the context changes. Whoever holds connections (the transport) watches it; the crypto bundle calls no one.
 * Registered by hand with the bundle context, not as a DS service, so the transport's reference to it and its
 * reference to the {@code TlsContextProvider} make no service cycle.
 */
final class TlsGenerationMarker {
    private static final TlsContextGeneration MARKER = new TlsContextGeneration() {
    };

    private ServiceRegistration<TlsContextGeneration> registration; // guarded by this
    private long generation;
    private boolean pairOnTrial;

    /** The context changed: the properties follow, if registered; otherwise they are kept for {@link #register}. */
    synchronized void changed(long nextGeneration, boolean nextPairOnTrial) {
        generation = nextGeneration;
        pairOnTrial = nextPairOnTrial;
        if (registration != null) {
            try {
                registration.setProperties(properties());
            } catch (IllegalStateException unregistered) {
                registration = null; // the bundle is stopping
            }
        }
    }

    /** {@code context} null (tests without a framework): nothing is registered. */
    synchronized void register(BundleContext context) {
        if (context != null && registration == null) {
            registration = context.registerService(TlsContextGeneration.class, MARKER, properties());
        }
    }

    synchronized void unregister() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it with the stopping bundle
            }
            registration = null;
        }
    }

    /** The service properties as they are (or would be) registered now. */
    synchronized Map<String, Object> current() {
        return Map.of(TlsContextGeneration.GENERATION, generation, TlsContextGeneration.PAIR_ON_TRIAL, pairOnTrial);
    }

    private Dictionary<String, Object> properties() {
        return new Hashtable<>(current());
    }
}
