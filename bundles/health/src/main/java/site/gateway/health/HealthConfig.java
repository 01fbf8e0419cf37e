package site.gateway.health;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration {@code gateway.health}: the thresholds of the gateway's health checks. */
@ObjectClassDefinition(name = "Gateway health checks",
        description = "Thresholds of the gateway's health checks (served at /system/health and on the console's Health Check page).")
public @interface HealthConfig {
    String PID = "gateway.health";

    @AttributeDefinition(name = "Buffer fill WARN (%)", description = "Share of the buffer's maxBytes (gateway.buffer) in use above which the buffer check warns.")
    int bufferFillWarnPercent() default 80;

    @AttributeDefinition(name = "Buffer fill CRITICAL (%)", description = "Share of maxBytes above which the buffer check is critical (the buffer is about to drop or refuse messages).")
    int bufferFillCriticalPercent() default 95;

    @AttributeDefinition(name = "Oldest message WARN (seconds)", description = "Age of the oldest buffered message above which the buffer check warns.")
    long oldestMessageWarnSeconds() default 300;

    @AttributeDefinition(name = "Oldest message CRITICAL (seconds)", description = "Age of the oldest buffered message above which the buffer check is critical.")
    long oldestMessageCriticalSeconds() default 3600;

    @AttributeDefinition(name = "Certificate expiry WARN (days)", description = "The client certificate check warns when it expires within this many days.")
    int certificateWarnDays() default 30;

    @AttributeDefinition(name = "Certificate expiry CRITICAL (days)", description = "The client certificate check is critical when it expires within this many days (or has expired).")
    int certificateCriticalDays() default 7;

    @AttributeDefinition(name = "PLC read age WARN (seconds)", description = "A connected PLC whose last successful read is older than this warns (0: not checked).")
    long plcReadAgeWarnSeconds() default 60;
}
