package site.gateway.core.identity;

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
import site.gateway.support.config.ConfigGate;

/**
 * Holds the gateway's identity from {@code gateway.identity}. An invalid first value keeps the component (and
 * so everything that needs an identity) out of service; an invalid update is logged and audited, and the last
 * good identity stays in force ({@link ConfigGate}).
 */
@Component(service = GatewayIdentity.class, configurationPid = IdentityConfig.PID, immediate = true)
@Designate(ocd = IdentityConfig.class)
public class IdentityComponent implements GatewayIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);

    private record Identity(String tenantId, String gatewayId) {
        static Identity of(IdentityConfig config) {
            return new Identity(Identifiers.require("tenantId", config.tenantId()),
                    Identifiers.require("gatewayId", config.gatewayId()));
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditTrail audit;

    private final ConfigGate<Identity> gate = new ConfigGate<>(IdentityConfig.PID, LOG,
            reason -> record("config.rejected", "rejected", reason));
    private volatile Identity current;

    @Activate
    void activate(IdentityConfig config) {
        apply(gate.first(() -> Identity.of(config)));
    }

    @Modified
    void modified(IdentityConfig config) {
        gate.check(() -> Identity.of(config), "tenantId=" + current.tenantId() + " gatewayId=" + current.gatewayId())
                .ifPresent(this::apply);
    }

    private void apply(Identity candidate) {
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
