package site.gateway.crypto;

import java.util.Map;

import org.slf4j.Logger;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/**
 * The audit trail and alert service as the crypto component has them bound now (both optional and dynamic),
 * shared by its parts: whatever is recorded or raised goes to the service bound at that moment, or nowhere.
 */
public final class CryptoReports {
    /** The actor of every crypto audit event. */
    public static final String ACTOR = "site.gateway.crypto";

    private volatile AuditTrail audit;
    private volatile Alerts alerts;

    void audit(AuditTrail bound) {
        audit = bound;
    }

    void alerts(Alerts bound) {
        alerts = bound;
    }

    void auditGone(AuditTrail gone) {
        if (audit == gone) {
            audit = null;
        }
    }

    void alertsGone(Alerts gone) {
        if (alerts == gone) {
            alerts = null;
        }
    }

    /** The alert service bound now, or null. */
    public Alerts alerts() {
        return alerts;
    }

    public void audit(String action, String target, String outcome, Map<String, Object> details) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(ACTOR, action, target, outcome, details);
        }
    }

    public void raise(Alert alert, Logger log) {
        SafeAlerts.raise(alerts, alert, log);
    }
}
