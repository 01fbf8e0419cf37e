package site.gateway.health;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.crypto.TlsContextProvider;

/** The gateway's client certificate: critical when missing or about to expire, WARN some weeks before. */
@Component(configurationPid = HealthConfig.PID)
@HealthCheckService(name = "Client certificate", tags = {Checks.GATEWAY, "crypto"})
public class CertificateCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TlsContextProvider tls;

    private final HealthConfig config;
    private final Supplier<Instant> clock;

    @Activate
    public CertificateCheck(HealthConfig config) {
        this(config, Instant::now);
    }

    CertificateCheck(HealthConfig config, Supplier<Instant> clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Result execute() {
        return Checks.ifRunning(tls, Result.Status.CRITICAL, Checks.NO_TLS_IDENTITY, this::check);
    }

    private Result check(TlsContextProvider current) {
        List<X509Certificate> chain = current.clientChain();
        if (chain.isEmpty()) {
            return new Result(Result.Status.CRITICAL, "No valid client key and certificate loaded (see certs/README): no WMS connection is possible");
        }
        X509Certificate leaf = chain.get(0);
        Instant notAfter = leaf.getNotAfter().toInstant();
        Duration left = Duration.between(clock.get(), notAfter);
        String subject = leaf.getSubjectX500Principal().getName();
        if (left.isNegative()) {
            return new Result(Result.Status.CRITICAL, "Client certificate " + subject + " expired at " + notAfter);
        }
        String text = "Client certificate " + subject + " valid until " + notAfter + " (" + Checks.human(left) + ")";
        if (left.toDays() < config.certificateCriticalDays()) {
            return new Result(Result.Status.CRITICAL, text + ": renew it now");
        }
        if (left.toDays() < config.certificateWarnDays()) {
            return new Result(Result.Status.WARN, text + ": renewal due");
        }
        return new Result(Result.Status.OK, text);
    }
}
