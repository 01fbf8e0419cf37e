package site.gateway.crypto;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/** In-memory stand-ins for the audit and alert services of other bundles. */
public final class Recorders {
    public static final class RecordingAudit implements AuditTrail {
        public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }

        public List<AuditEvent> withAction(String action) {
            return events.stream().filter(e -> e.action().equals(action)).collect(Collectors.toList());
        }
    }

    public static final class RecordingAlerts implements Alerts {
        public final List<Alert> alerts = new CopyOnWriteArrayList<>();

        @Override
        public void raise(Alert alert) {
            alerts.add(alert);
        }

        public List<Alert> withCode(String code) {
            return alerts.stream().filter(a -> a.code().equals(code)).collect(Collectors.toList());
        }
    }

    private Recorders() {
    }
}
