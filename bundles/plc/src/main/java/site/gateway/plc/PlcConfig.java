package site.gateway.plc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One managed PLC ({@code conf/gateway.plc-<name>.cfg}). Per-tag settings that cannot be attributes
 * are read from the raw properties: {@code deadband.<tag>=0.5}, {@code reportOnChange.<tag>=true}, and what
 * commands may write: {@code writable.<tag>=true} (default false) with optional {@code min.<tag>} / {@code max.<tag>}.
 */
@ObjectClassDefinition(name = "Gateway PLC",
        description = "One PLC read through a PLC4X driver (polled, or followed by subscriptions). Changes apply "
                + "live; an invalid change is logged, "
                + "audited and ignored (the last good configuration stays).")
public @interface PlcConfig {
    String PID = "gateway.plc";

    @AttributeDefinition(name = "PLC id", description = "Identifier used in telemetry and commands, [A-Za-z0-9._-]{1,64}.")
    String plcId();

    @AttributeDefinition(name = "Connection", description = "PLC4X connection string; its scheme selects the driver, "
            + "e.g. modbus-tcp://10.0.0.5:502, s7://10.0.0.6, simulated://demo.")
    String connection();

    @AttributeDefinition(name = "Enabled", description = "When false the PLC is not connected and reports 'disabled'.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Poll interval (ms)", description = "Fixed-rate polling period, 10 to 3600000.")
    long pollIntervalMs() default 1000;

    @AttributeDefinition(name = "Acquisition", description = "poll: every tag is read each poll interval. "
            + "subscribe: after one full read per connection, values come from the driver's change-of-state "
            + "subscriptions and the connection is checked each poll interval; a driver that cannot subscribe "
            + "(Modbus) is polled.", options = {@Option(label = "poll", value = "poll"),
                    @Option(label = "subscribe where the driver can", value = "subscribe")})
    String acquisition() default "poll";

    @AttributeDefinition(name = "Tags", description = "Comma-separated name=address in PLC4X syntax, "
            + "e.g. conveyor1.speed=holding-register:1:INT. Tag names: [A-Za-z0-9._-]{1,128}.")
    String tags();

    @AttributeDefinition(name = "Report on change", description = "Send a tag only when its value or quality changed "
            + "(numbers: by more than its deadband). Per tag: reportOnChange.<tag>=true|false, deadband.<tag>=0.5.")
    boolean reportOnChange() default false;

    @AttributeDefinition(name = "Request timeout (ms)", description = "Limit for connecting and for each read or write.")
    long requestTimeoutMs() default 3000;

    @AttributeDefinition(name = "First reconnect delay (ms)")
    long backoffInitialMs() default 1000;

    @AttributeDefinition(name = "Maximum reconnect delay (ms)")
    long backoffMaxMs() default 30000;

    @AttributeDefinition(name = "Reconnect delay factor")
    double backoffFactor() default 2.0;

    String webconsole_configurationFactory_nameHint() default "PLC {plcId} ({connection})";
}
