package site.gateway.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import site.gateway.api.audit.AuditTrail;

/**
 * The component's optional audit trail. DS binds it only after the constructor, which already reports the
 * commands a crash cut short: entries made before {@link #started()} wait for the trail; later ones are
 * written only if a trail is bound (as before), so that the backlog stays as small as the constructor's work.
 */
final class StartupAudit implements CommandResults.Audit {
    private final List<Consumer<AuditTrail>> backlog = new ArrayList<>();
    private volatile AuditTrail trail;
    private boolean started;

    AuditTrail current() {
        return trail;
    }

    void bind(AuditTrail bound) {
        List<Consumer<AuditTrail>> waiting;
        synchronized (backlog) {
            trail = bound;
            waiting = new ArrayList<>(backlog);
            backlog.clear();
        }
        waiting.forEach(entry -> entry.accept(bound));
    }

    void unbind(AuditTrail gone) {
        synchronized (backlog) {
            if (trail == gone) {
                trail = null;
            }
        }
    }

    /** The constructor is done: from now on an entry made while no trail is bound is not kept. */
    void started() {
        synchronized (backlog) {
            started = true;
        }
    }

    @Override
    public void record(String actor, String action, String target, String outcome, Map<String, Object> details) {
        AuditTrail bound = trail;
        if (bound == null) {
            synchronized (backlog) {
                bound = trail;
                if (bound == null) {
                    if (!started) {
                        backlog.add(t -> t.record(actor, action, target, outcome, details));
                    }
                    return;
                }
            }
        }
        bound.record(actor, action, target, outcome, details);
    }
}
