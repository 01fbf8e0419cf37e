package site.gateway.console.security;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code gateway.console}: who may reach the web console and how often one may guess. */
@ObjectClassDefinition(name = "Gateway console security",
        description = "Host/Origin checks, cross-site request protection and failed-login limits of the web console.")
public @interface ConsoleSecurityConfig {
    String PID = "gateway.console";

    @AttributeDefinition(name = "Allowed host names",
            description = "Host names (without port) under which the console may be reached, besides localhost and IP "
                    + "addresses, e.g. gateway-07.site.example. A request naming any other host is refused (DNS rebinding).")
    String[] allowedHosts() default {};

    @AttributeDefinition(name = "Failed logins before a lockout",
            description = "Failed logins from one address within failureWindowSeconds before it is locked out.")
    int maxFailedLogins() default 5;

    @AttributeDefinition(name = "Failure window (seconds)")
    int failureWindowSeconds() default 300;

    @AttributeDefinition(name = "Lockout (seconds)", description = "How long an address that guessed too often is refused (429).")
    int lockoutSeconds() default 300;

    @AttributeDefinition(name = "Monitoring user",
            description = "User that may read /system/health and /metrics (not the console), e.g. for Prometheus. Empty: only the "
                    + "console's user may read them.")
    String monitoringUser() default "";

    @AttributeDefinition(name = "Monitoring password",
            description = "Password of the monitoring user: preferably hashed like the console's, {sha-256}<salt hex>-<iterations>-<base64>; "
                    + "empty or admin: the monitoring user cannot log in.", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String monitoringPassword() default "";
}
