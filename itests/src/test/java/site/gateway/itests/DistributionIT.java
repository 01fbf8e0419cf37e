package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * The assembled distribution as an operator runs it: {@code bin/gateway} on a fresh GATEWAY_HOME
 * starts every bundle, serves the web console on the configured loopback port, and stops cleanly on
 * SIGTERM with exit code 0.
 */
public class DistributionIT {

    @Test
    public void startsAllBundlesServesTheConsoleAndStopsCleanlyOnSigterm() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start().awaitAllActive(Duration.ofSeconds(120))) {
            assertTrue("GATEWAY_HOME was seeded with the gateway bundles",
                    Files.exists(gateway.home().resolve("deploy/site.gateway.core.jar")));

            gateway.process().destroy(); // SIGTERM
            // Only against a hang: stop times are measured by tools/startup-time.sh (docs/performance.md).
            assertTrue("stopped within 60 s", gateway.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals("exit code after SIGTERM", 0, gateway.process().exitValue());
            String log = Files.readString(gateway.home().resolve("logs/gateway.log"), StandardCharsets.UTF_8);
            assertTrue("components were deactivated", log.contains("Gateway status shutting-down"));
        }
    }
}
