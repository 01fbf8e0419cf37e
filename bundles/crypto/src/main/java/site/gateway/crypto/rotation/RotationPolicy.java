package site.gateway.crypto.rotation;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/** When a client certificate must be renewed (§2.3, §5): older than the period, or close to expiry. */
public final class RotationPolicy {
    private final Duration rotationPeriod;
    private final Duration renewBefore;

    public RotationPolicy(int rotationDays, int renewBeforeDays) {
        this.rotationPeriod = Duration.ofDays(rotationDays);
        this.renewBefore = Duration.ofDays(renewBeforeDays);
    }

    /** @return why the certificate is due for renewal, or null when it is not */
    public String due(X509Certificate leaf, Instant now) {
        Instant issued = leaf.getNotBefore().toInstant();
        Instant expires = leaf.getNotAfter().toInstant();
        if (!now.isBefore(issued.plus(rotationPeriod))) {
            return "certificate issued " + issued + " is older than " + rotationPeriod.toDays() + " days";
        }
        if (!now.isBefore(expires.minus(renewBefore))) {
            return "certificate expires " + expires + ", within " + renewBefore.toDays() + " days";
        }
        return null;
    }

    /** True when expiry is within the renewal margin: a failed rotation is then alarming. */
    public boolean expiringSoon(X509Certificate leaf, Instant now) {
        return !now.isBefore(leaf.getNotAfter().toInstant().minus(renewBefore));
    }
}
