package site.gateway.health;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;

/**
 * The WMS session: OK while connected; WARN otherwise (the gateway buffers meanwhile, so a WMS outage
 * alone is not critical: the buffer check turns critical when the backlog grows too old or too large).
 */
@Component
@HealthCheckService(name = "WMS session", tags = {Checks.GATEWAY, "wms"})
public class WmsSessionCheck implements HealthCheck {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WmsSession session;

    @Override
    public Result execute() {
        return Checks.ifRunning(session, Result.Status.WARN,
                "The WMS transport is not running (feature wms-transport)", this::check);
    }

    private Result check(WmsSession current) {
        SessionInfo info = current.info();
        if (info.state() == SessionState.CONNECTED) {
            return new Result(Result.Status.OK, "Connected to " + info.endpoint() + " (session " + info.sessionId()
                    + ", " + info.reconnects() + " reconnects)");
        }
        return new Result(Result.Status.WARN, "Not connected to the WMS: " + info.state().name().toLowerCase()
                + (info.endpoint() == null ? "" : " (" + info.endpoint() + ")") + "; messages are buffered");
    }
}
