package site.gateway.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.crypto.TlsContextProvider;

/**
 * Revocation data: WARN when no CRL is installed or one is past its nextUpdate (revoked servers may then
 * go unnoticed; with requireFreshCrl the crypto bundle refuses connections, which the WMS check shows).
 */
@Component
@HealthCheckService(name = "CRL freshness", tags = {Checks.GATEWAY, "crypto"})
public class CrlCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TlsContextProvider tls;

    private final Supplier<Instant> clock;

    public CrlCheck() {
        this(Instant::now);
    }

    CrlCheck(Supplier<Instant> clock) {
        this.clock = clock;
    }

    @Override
    public Result execute() {
        return Checks.ifRunning(tls, Result.Status.WARN, Checks.NO_TLS_IDENTITY, this::check);
    }

    private Result check(TlsContextProvider current) {
        Optional<Instant> nextUpdate = current.crlNextUpdate();
        if (nextUpdate.isEmpty()) {
            return new Result(Result.Status.WARN, "No CRL installed: revocation of the WMS certificate cannot be checked");
        }
        Instant next = nextUpdate.get();
        if (next.equals(Instant.MAX)) {
            return new Result(Result.Status.OK, "CRL installed (no nextUpdate given)");
        }
        Duration left = Duration.between(clock.get(), next);
        if (left.isNegative()) {
            return new Result(Result.Status.WARN, "The CRL is stale: past its nextUpdate " + next + " by " + Checks.human(left.negated()));
        }
        return new Result(Result.Status.OK, "CRL fresh until " + next + " (" + Checks.human(left) + ")");
    }
}
