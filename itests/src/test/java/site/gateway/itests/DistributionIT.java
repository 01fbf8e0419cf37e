package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Test;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * The assembled distribution as an operator runs it: {@code bin/gateway} on a fresh GATEWAY_HOME
 * starts every bundle, serves the web console on the configured loopback port, and stops cleanly on
 * SIGTERM with exit code 0; a healthy home starts without a single ERROR or WARN line in its log.
 */
public class DistributionIT {
    private static final String TENANT = "acme-clean";
    private static final String GATEWAY = "gw-clean-01";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    public void startsAllBundlesServesTheConsoleAndStopsCleanlyOnSigterm() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start().awaitAllActive(Duration.ofSeconds(180))) {
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

    /**
     * A healthy home (certificates, a fresh CRL, a reachable WMS, a PLC) started as an operator starts it:
     * once it is registered, delivering and has checked its bundles, {@code logs/gateway.log} holds no ERROR
     * and no WARN line, because an operator takes each of them for a fault.
     */
    @Test
    public void aHealthyStartLogsNoErrorAndNoWarning() throws Exception {
        Path home = Files.createTempDirectory("gateway-healthy-home");
        try {
            DevPki pki = DevPki.generate(TENANT, GATEWAY);
            pki.writeTo(home.resolve("certs"), "clean-passphrase-not-secret".toCharArray());
            Files.createDirectories(home.resolve("data/crl"));
            pki.writeCrl(home.resolve("data/crl/wms.crl"));
            try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start();
                 ProvisionedGateway gateway = ProvisionedGateway.start(home, Map.of(
                         "gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                         "gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\n",
                         "gateway.plc-line1.cfg", "plcId = line1\nconnection = simulated://line1\npollIntervalMs = 200\n"
                                 + "tags = conveyor1.speed=RANDOM/conveyor1_speed:REAL\n"))) {
                try {
                    wms.awaitSession(GATEWAY, START);
                    wms.await("telemetry delivered", () -> wms.receivedDurable(GATEWAY).stream()
                            .anyMatch(m -> "telemetry".equals(m.type())), WAIT);
                    wms.awaitNonDurable("heartbeat", heartbeat -> "operational".equals(heartbeat.path("status").asText()),
                            java.time.Instant.EPOCH, WAIT);
                    assertNoErrorOrWarning(gateway);
                    Await.until("the bundle check has run", WAIT, () -> gateway.log().contains("gateway bundles are active"));
                    assertNoErrorOrWarning(gateway);
                } finally {
                    GatewayLog.keep(home, "DistributionIT-healthy");
                }
            }
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void assertNoErrorOrWarning(ProvisionedGateway gateway) {
        List<String> problems = GatewayLog.errorsAndWarnings(gateway.log());
        assertEquals("ERROR/WARN lines of a healthy start:\n" + String.join("\n", problems), 0, problems.size());
    }
}
