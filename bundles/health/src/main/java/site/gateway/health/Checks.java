package site.gateway.health;

import java.time.Duration;
import java.util.function.Function;

import org.apache.felix.hc.api.Result;

/** Tags and wording shared by the gateway's health checks. */
final class Checks {
    /** Every check of the gateway carries this tag: {@code /system/health} runs them by default. */
    static final String GATEWAY = "gateway";
    /** Why the certificate and CRL checks have nothing to check: both read the crypto bundle's TLS identity. */
    static final String NO_TLS_IDENTITY = "No TLS identity: the crypto feature is not running";

    private Checks() {
    }

    /**
     * Runs the check of a service that is an optional reference, or says why there is nothing to check while
     * its feature is not running.
     */
    static <T> Result ifRunning(T service, Result.Status whenAbsent, String whyAbsent, Function<T, Result> check) {
        return service == null ? new Result(whenAbsent, whyAbsent) : check.apply(service);
    }

    /** "3 h 5 min", "42 s": for messages an operator reads. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
        }
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        if (s >= 60) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s + " s";
    }
}
