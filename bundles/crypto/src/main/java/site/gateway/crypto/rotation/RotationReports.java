package site.gateway.crypto.rotation;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.slf4j.Logger;

import site.gateway.api.status.Alert;
import site.gateway.crypto.CryptoReports;

/**
 * What rotation audits and alerts: each step about a certificate, and a failure with {@code cert.rotation-failed}
 * plus, while the certificate expires soon, {@code cert.expiring} (at most every 12 hours). Rotation thread only.
 */
final class RotationReports {
    static final String ALERT_FAILED = "cert.rotation-failed";
    static final String ALERT_EXPIRING = "cert.expiring";
    private static final Duration EXPIRING_ALERT_EVERY = Duration.ofHours(12);

    private final CryptoReports reports;
    private final Logger log;
    private Instant lastExpiringAlert = Instant.EPOCH;

    RotationReports(CryptoReports reports, Logger log) {
        this.reports = reports;
        this.log = log;
    }

    void audit(String action, X509Certificate cert, String outcome, Map<String, Object> details) {
        String target = cert == null ? "client-certificate"
                : cert.getSubjectX500Principal().getName() + " serial " + cert.getSerialNumber().toString(16);
        reports.audit(action, target, outcome, details);
    }

    /** A renewal failed at {@code now}; {@code expiringSoon}: the current certificate is within renewBeforeDays. */
    void failed(X509Certificate current, String message, Duration retry, boolean expiringSoon, Instant now) {
        log.warn("Certificate rotation failed: {}; next attempt in {} s", message, retry.toSeconds());
        reports.raise(Alert.warning(ALERT_FAILED, "Certificate rotation failed: " + message), log);
        audit("cert.rotation-failed", current, "failed", Map.of("reason", message));
        if (current != null && expiringSoon && !now.isBefore(lastExpiringAlert.plus(EXPIRING_ALERT_EVERY))) {
            lastExpiringAlert = now;
            reports.raise(Alert.critical(ALERT_EXPIRING, "The client certificate expires " + current.getNotAfter().toInstant()
                    + " and could not be renewed"), log);
        }
    }
}
