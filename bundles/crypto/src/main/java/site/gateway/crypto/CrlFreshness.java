package site.gateway.crypto;

import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/**
 * §1: a missing CRL, or one past its nextUpdate, raises one {@code crl.stale} warning per condition (a later,
 * different staleness raises again); a fresh CRL clears it. Checked at every poll, so a condition found before
 * the alert service was there is raised as soon as it is. Called under the TLS context's lock.
 */
final class CrlFreshness {
    private static final Logger LOG = LoggerFactory.getLogger(CrlFreshness.class);
    static final String ALERT_CRL_STALE = "crl.stale";

    private final Clock clock;
    private final CryptoReports reports;
    /** The stale-CRL condition last alerted (no CRL, or past which nextUpdate), null while fresh. */
    private String crlStaleRaised;

    CrlFreshness(Clock clock, CryptoReports reports) {
        this.clock = clock;
        this.reports = reports;
    }

    void check(TlsMaterial material, Settings settings) {
        X509CRL crl = material.crl();
        Instant now = clock.instant();
        for (X509CRL issuerCrl : material.issuerCrls()) {
            if (crl != null && !ChainValidator.isStale(crl, now) && ChainValidator.isStale(issuerCrl, now)) {
                crl = issuerCrl; // the CA's CRL is fresh, an intermediate's is not
            }
        }
        if (ChainValidator.isStale(crl, now)) {
            String condition = crl == null ? "none" : crl.getIssuerX500Principal() + " next update " + crl.getNextUpdate().toInstant();
            if (condition.equals(crlStaleRaised)) {
                return;
            }
            Alerts target = reports.alerts();
            if (target == null) {
                return; // raised at the poll after the alert service came
            }
            crlStaleRaised = condition;
            String msg = crl == null ? "No valid CRL installed (" + settings.crlFile() + "); revocation cannot be checked"
                    : "The CRL of " + crl.getIssuerX500Principal().getName() + " is past its nextUpdate " + crl.getNextUpdate().toInstant();
            LOG.warn("{}{}", msg, settings.requireFreshCrl() ? "; connections are refused (requireFreshCrl)" : "");
            SafeAlerts.raise(target, Alert.warning(ALERT_CRL_STALE, msg), LOG);
        } else if (crlStaleRaised != null) {
            crlStaleRaised = null;
            LOG.info("The CRL is fresh again (next update {})", crl.getNextUpdate() == null ? "unspecified"
                    : crl.getNextUpdate().toInstant());
            reports.audit("crl.fresh", settings.crlFile().toString(), "ok", Map.of());
        }
    }
}
