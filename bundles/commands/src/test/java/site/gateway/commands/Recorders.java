package site.gateway.commands;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/** Small recording stand-ins for the audit trail, the alerts and the identity. */
final class Recorders {
    private Recorders() {
    }

    static final class Audit implements AuditTrail {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }

        List<String> actionsFor(String target) {
            return events.stream().filter(e -> e.target().equals(target)).map(AuditEvent::action).toList();
        }
    }

    static final class RaisedAlerts implements Alerts {
        final List<Alert> raised = new CopyOnWriteArrayList<>();

        @Override
        public void raise(Alert alert) {
            raised.add(alert);
        }
    }

    record Identity(String tenantId, String gatewayId) implements GatewayIdentity {
    }
}
