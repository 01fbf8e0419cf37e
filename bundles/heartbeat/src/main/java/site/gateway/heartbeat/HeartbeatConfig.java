package site.gateway.heartbeat;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Gateway heartbeat",
        description = "Heartbeats to the WMS (protocol §3.4), WMS outage alerts and the wms part of the gateway status.")
public @interface HeartbeatConfig {
    String PID = "gateway.heartbeat";

    @AttributeDefinition(name = "Interval override (s)",
            description = "Send heartbeats at this interval instead of the WMS's heartbeatIntervalSeconds; 0 uses the WMS's.")
    int intervalOverrideSeconds() default 0;

    @AttributeDefinition(name = "Outage grace (ms)",
            description = "How long the WMS may be unreachable before the gateway reports itself degraded and, once "
                    + "reconnected, raises a wms.unreachable alert; 0 means one heartbeat interval (at least 30 s for the first "
                    + "connection after start).")
    long outageGraceMs() default 0;
}
