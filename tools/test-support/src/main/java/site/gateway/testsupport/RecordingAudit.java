package site.gateway.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;

/** Keeps every audit event, in order. */
public final class RecordingAudit implements AuditTrail {
    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    /** The events with this action, in order. */
    public List<AuditEvent> withAction(String action) {
        return events.stream().filter(e -> e.action().equals(action)).toList();
    }

    /** The actions recorded on one target (a commandId, a PID...), in order. */
    public List<String> actionsFor(String target) {
        return events.stream().filter(e -> e.target().equals(target)).map(AuditEvent::action).toList();
    }
}
