package site.gateway.plc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.StatusSnapshot;

/** Simple recording implementations of the services the PLC layer reports to. */
final class Recorders {
    private Recorders() {
    }

    static final GatewayIdentity IDENTITY = new GatewayIdentity() {
        @Override
        public String tenantId() {
            return "acme";
        }

        @Override
        public String gatewayId() {
            return "gw-test-01";
        }
    };

    static final class RecordingAlerts implements Alerts {
        final List<Alert> raised = new CopyOnWriteArrayList<>();

        @Override
        public void raise(Alert alert) {
            raised.add(alert);
        }
    }

    static final class RecordingStatus implements GatewayStatus {
        final Map<String, String> problems = new ConcurrentHashMap<>();

        @Override
        public StatusSnapshot current() {
            return new StatusSnapshot(problems.isEmpty() ? GatewayState.OPERATIONAL : GatewayState.DEGRADED,
                    String.join("; ", problems.values()), System.currentTimeMillis());
        }

        @Override
        public void report(String source, String problem) {
            if (problem == null) {
                problems.remove(source);
            } else {
                problems.put(source, problem);
            }
        }
    }

    static final class RecordingAudit implements AuditTrail {
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEvent event) {
            events.add(event);
        }
    }
}
