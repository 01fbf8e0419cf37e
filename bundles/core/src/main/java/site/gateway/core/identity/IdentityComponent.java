package site.gateway.core.identity;

import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;

/**
 * Holds the gateway's identity from {@code gateway.identity}. An invalid value is logged and audited,
 * and the last good identity stays in force (the defaults if none was ever valid).
 */
@Component(service = GatewayIdentity.class, configurationPid = IdentityConfig.PID, immediate = true)
@Designate(ocd = IdentityConfig.class)
public class IdentityComponent implements GatewayIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private record Identity(String tenantId, String gatewayId) {
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditTrail audit;

    private volatile Identity current = new Identity("demo-tenant", "gw-01");

    @Activate
    @Modified
    void configure(IdentityConfig config) {
        Identity candidate;
        try {
            candidate = new Identity(Identifiers.require("tenantId", config.tenantId()),
                    Identifiers.require("gatewayId", config.gatewayId()));
        } catch (IllegalArgumentException | ComponentException e) {
            LOG.error("Invalid configuration {}: {}; keeping tenantId={} gatewayId={}", IdentityConfig.PID,
                    e.getMessage(), current.tenantId(), current.gatewayId());
            record("config.rejected", "rejected", e.getMessage());
            return;
        }
        if (!candidate.equals(current)) {
            LOG.info("Gateway identity: tenantId={} gatewayId={}", candidate.tenantId(), candidate.gatewayId());
        }
        current = candidate;
        record("config.applied", "ok", "tenantId=" + candidate.tenantId() + " gatewayId=" + candidate.gatewayId());
    }

    private void record(String action, String outcome, String detail) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record("system", action, IdentityConfig.PID, outcome, java.util.Map.of("detail", detail));
        }
    }

    @Override
    public String tenantId() {
        return current.tenantId();
    }

    @Override
    public String gatewayId() {
        return current.gatewayId();
    }
}
