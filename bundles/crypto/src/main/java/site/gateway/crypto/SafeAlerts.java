package site.gateway.crypto;

import org.slf4j.Logger;

import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/** Raising through the optional {@link Alerts} service: absent is fine, and a failing one never fails the caller. */
public final class SafeAlerts {
    private SafeAlerts() {
    }

    public static void raise(Alerts alerts, Alert alert, Logger log) {
        if (alerts == null) {
            return;
        }
        try {
            alerts.raise(alert);
        } catch (RuntimeException e) {
            log.warn("Could not raise alert {}: {}", alert.code(), e.toString());
        }
    }
}
