package site.gateway.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatusListener;

/**
 * The roles the session plays for other bundles, registered by hand rather than as DS services: the
 * bundles that call them (storage, core, crypto) are the ones the transport component references, and as
 * DS services they made service cycles that SCR reports as errors at every start. The outbox wakes the
 * sender and announces drops, the gateway status is sent as {@code status}, certificate renewals go through
 * the session. (A changed TLS context is no longer a role: the transport watches crypto's
 * {@code TlsContextGeneration} marker, issue 17.2.)
 */
final class SessionRoles {
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();

    /** {@code context} null (tests without a framework): nothing is registered. */
    void register(BundleContext context, SessionEngine engine) {
        if (context == null) {
            return;
        }
        registrations.add(context.registerService(OutboxListener.class, new OutboxListener() {
            // No wake-up on append: only durable entries are sent, so an append alone would wake the
            // session thread for nothing (one futex wake and one pass per message, issue 16.1).
            @Override
            public void durable(long upTo) {
                engine.durableAdvanced();
            }

            @Override
            public void dropped(SeqRange range) {
                engine.dropped(range);
            }
        }, null));
        registrations.add(context.registerService(GatewayStatusListener.class, snapshot -> {
            if (snapshot.state() != GatewayState.SHUTTING_DOWN) { // sent by deactivate, with the 1001 close
                engine.statusChanged(snapshot);
            }
        }, null));
        registrations.add(context.registerService(CsrSubmitter.class, engine::submitCsr, null));
    }

    void unregisterAll() {
        for (ServiceRegistration<?> registration : registrations) {
            SessionMarker.unregister(registration);
        }
        registrations.clear();
    }
}
