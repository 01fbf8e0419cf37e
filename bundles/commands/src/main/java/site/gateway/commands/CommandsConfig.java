package site.gateway.commands;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Gateway commands",
        description = "Commands from the WMS (protocol §3.6): verification, queues per PLC, execution.")
public @interface CommandsConfig {
    String PID = "gateway.commands";

    @AttributeDefinition(name = "Configuration allow-list",
            description = "PIDs that a gateway 'config' command may update. Empty: none. Security keys stay protected whatever this lists (docs/commands.md).")
    String[] configAllowList() default {};

    @AttributeDefinition(name = "Queue capacity",
            description = "Commands that may wait per PLC (not counting the one executing); more are refused with queue-full.")
    int queueCapacity() default 100;

    @AttributeDefinition(name = "Command timeout (ms)",
            description = "Longest a command may take on the PLC before its result is timed-out.")
    long commandTimeoutMs() default 5000;

    @AttributeDefinition(name = "Clock skew allowance (s)",
            description = "Tolerated difference between the WMS clock and the gateway clock.")
    int clockSkewSeconds() default 30;

    @AttributeDefinition(name = "Maximum command lifetime (s)",
            description = "Longest allowed expiresAt - issuedAt; longer commands are invalid-payload.")
    int maxLifetimeSeconds() default 600;

    @AttributeDefinition(name = "Replay cache directory",
            description = "Where accepted commandIds are kept across restarts; relative to gateway.home.")
    String replayCacheDirectory() default "data/commands";
}
