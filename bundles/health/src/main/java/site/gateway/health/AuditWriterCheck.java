package site.gateway.health;

import java.util.Optional;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.audit.AuditHead;
import site.gateway.api.audit.AuditTrail;

/** The audit trail's writer: critical while it cannot write (entries held or lost), OK with its durable head. */
@Component
@HealthCheckService(name = "Audit writer", tags = {Checks.GATEWAY, "audit"})
public class AuditWriterCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    @Override
    public Result execute() {
        return Checks.ifRunning(audit, Result.Status.CRITICAL,
                "The audit trail is not running (feature audit): operations go unrecorded", this::check);
    }

    private Result check(AuditTrail current) {
        Optional<String> problem = current.problem();
        if (problem.isPresent()) {
            return new Result(Result.Status.CRITICAL, "Audit trail degraded: " + problem.get());
        }
        Optional<AuditHead> head = current.head();
        return new Result(Result.Status.OK, head.map(h -> "Writing; last entry on the device: seq " + h.seq())
                .orElse("Writing; no entry synced to the device yet"));
    }
}
