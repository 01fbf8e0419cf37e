package site.gateway.api.audit;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The append-only audit trail. Recording never blocks the caller for long and never throws. */
@ProviderType
public interface AuditTrail {

    void record(AuditEvent event);

    default void record(String actor, String action, String target, String outcome) {
        record(new AuditEvent(actor, action, target, outcome, Map.of()));
    }

    default void record(String actor, String action, String target, String outcome, Map<String, Object> details) {
        record(new AuditEvent(actor, action, target, outcome, details));
    }

    /**
     * The last entry forced to the device (its high-water mark), or empty while there is none or the
     * implementation does not know it.
     *
     * @since 1.1
     */
    default Optional<AuditHead> head() {
        return Optional.empty();
    }

    /**
     * Why the trail is not writing normally right now (cannot write to its directory, entries lost because
     * its queue overflowed), or empty while it writes normally or the implementation does not know.
     * Read by health checks.
     * @since 1.2
     */
    default Optional<String> problem() {
        return Optional.empty();
    }
}
