package site.gateway.core.identity;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Gateway identity",
        description = "Who this gateway is. Must match the client certificate: CN=<gatewayId>, O=<tenantId>.")
public @interface IdentityConfig {
    String PID = "gateway.identity";

    @AttributeDefinition(name = "Tenant id", description = "The customer tenant, [A-Za-z0-9._-]{1,64}.")
    String tenantId() default "demo-tenant";

    @AttributeDefinition(name = "Gateway id", description = "This gateway, [A-Za-z0-9._-]{1,64}.")
    String gatewayId() default "gw-01";
}
