package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.BlockingConnectProxy;

/**
 * Issue 12.7 on the real distribution: a site whose only egress is an HTTP proxy ({@code gateway.wms} {@code proxy})
 * that lets HTTPS through but refuses the WebSocket's tunnel (the WMS gives its WebSocket on its own port, §2.1
 * {@code websocketUrl}, and the proxy allows only the HTTPS port, as port allow-lists do). The gateway must carry
 * its data over the HTTPS fallback (§2.6) as a normal mode: operational, the console saying "connected over HTTPS
 * fallback", longer than the outage grace without calling itself degraded, and no wms.unreachable once the proxy
 * lets the WebSocket through again and the gateway returns to it.
 */
public class HttpsFallbackIT {
    private static final String TENANT = "acme-proxy";
    private static final String GATEWAY = "gw-proxy-01";
    /** Start-up of a JVM with ~60 bundles on a loaded 2-core machine; only bounds a hang. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Longer than the heartbeat bundle's first-connection grace (30 s): an outage would have been reported. */
    private static final Duration BEYOND_GRACE = Duration.ofSeconds(35);

    private final List<String> figures = new ArrayList<>();

    @Test
    public void dataFlowsOverTheHttpsFallbackAsANormalModeBehindAProxyThatBlocksWebSockets() throws Exception {
        Path home = Files.createTempDirectory("gateway-proxy-home");
        DevPki pki = DevPki.generate(TENANT, GATEWAY);
        pki.writeTo(home.resolve("certs"), "proxy-passphrase-not-secret".toCharArray());
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).separateWebSocketPort(true).start();
             BlockingConnectProxy proxy = BlockingConnectProxy.start()) {
            proxy.block(wms.webSocketPort(), BlockingConnectProxy.Block.REFUSE);
            try (ProvisionedGateway gateway = ProvisionedGateway.start(home, Map.of(
                    "gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                    "gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\nproxy = " + proxy.url()
                            + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\nhealthCheckIntervalMs = 5000\n",
                    "gateway.plc-sim1.cfg", "plcId = sim1\nconnection = simulated://sim1\npollIntervalMs = 500"
                            + "\ntags = speed=RANDOM/speed:REAL\n"))) {
                try {
                    run(wms, proxy, gateway);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n--- logs/gateway.log (last 80 lines) ---\n" + tail(gateway.log(), 80), e);
                } finally {
                    keep(gateway);
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    private void run(WmsSandbox wms, BlockingConnectProxy proxy, ProvisionedGateway gateway) throws Exception {
        wms.await("telemetry over HTTPS", () -> viaHttps(wms).stream().anyMatch(m -> "telemetry".equals(m.type())), START);
        Instant firstOverHttps = viaHttps(wms).get(0).receivedAt();
        figures.add("register -> first durable message over HTTPS: "
                + Duration.between(wms.registrations().get(0).at(), firstOverHttps).toMillis() + " ms");
        assertTrue("every HTTPS request went through the proxy", proxy.tunnels(wms.port()) > 0);
        assertTrue("the WebSocket's tunnel was refused", proxy.blocked(wms.webSocketPort()) > 0);
        assertEquals("no WebSocket tunnel got through", 0, proxy.tunnels(wms.webSocketPort()));

        // Longer than the outage grace: telemetry keeps arriving over HTTPS, and the gateway is operational.
        wms.await("telemetry over HTTPS for " + BEYOND_GRACE, () -> viaHttps(wms).stream()
                .anyMatch(m -> "telemetry".equals(m.type()) && m.receivedAt().isAfter(firstOverHttps.plus(BEYOND_GRACE))),
                BEYOND_GRACE.plus(WAIT));
        String page = console(gateway, "/system/console/gateway");
        assertTrue("the console says connected over HTTPS fallback:\n" + page, page.contains("connected over HTTPS fallback"));
        assertTrue("the gateway is operational, not degraded:\n" + page, page.contains(">State</th><td>operational</td>"));

        // The proxy lets WebSockets through again: the gateway returns to the WebSocket on its own.
        Instant allowed = Instant.now();
        proxy.allowAll();
        wms.await("a WebSocket session", () -> wms.openSession(GATEWAY) != null, WAIT);
        ReceivedMessage heartbeat = wms.awaitNonDurable("heartbeat", m -> true, allowed, WAIT);
        figures.add("proxy lets WebSockets through -> heartbeat over the WebSocket: "
                + Duration.between(allowed, heartbeat.receivedAt()).toMillis() + " ms");
        assertEquals("operational over the WebSocket", "operational", heartbeat.json().path("status").asText());
        assertTrue("the WebSocket went through the proxy", proxy.tunnels(wms.webSocketPort()) > 0);
        wms.await("telemetry over the WebSocket", () -> wms.receivedDurable(GATEWAY).stream()
                .anyMatch(m -> "telemetry".equals(m.type()) && "ws".equals(m.via())), WAIT);
        String after = console(gateway, "/system/console/gateway");
        assertFalse("the console no longer says fallback", after.contains("connected over HTTPS fallback"));

        // No false outage: a second heartbeat round after the return, and no wms.unreachable was ever sent.
        wms.awaitNonDurable("heartbeat", m -> true, heartbeat.receivedAt().plusSeconds(2), WAIT);
        List<String> alerts = wms.receivedDurable(GATEWAY).stream().filter(m -> "alert".equals(m.type()))
                .map(m -> m.json().path("code").asText()).toList();
        assertFalse("no wms.unreachable while data flowed over HTTPS: " + alerts, alerts.contains("wms.unreachable"));
        assertTrue("protocol violations: " + wms.protocolViolations(), wms.protocolViolations().isEmpty());
    }

    private static List<ReceivedMessage> viaHttps(WmsSandbox wms) {
        return wms.receivedDurable(GATEWAY).stream().filter(m -> "https".equals(m.via())).toList();
    }

    private static String console(ProvisionedGateway gateway, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.consoleBase() + path))
                .header("Authorization", GatewayProcess.basic("admin", GatewayProcess.consolePassword(gateway.home())))
                .timeout(Duration.ofSeconds(20)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(path + " answered " + response.statusCode(), response.statusCode() < 400);
        return response.body();
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void keep(ProvisionedGateway gateway) {
        try {
            Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
            Path log = gateway.home().resolve("logs/gateway.log");
            if (Files.exists(log)) {
                Files.copy(log, reports.resolve("HttpsFallbackIT-gateway.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(reports.resolve("HttpsFallbackIT-figures.txt"), figures);
            figures.forEach(f -> System.out.println("HttpsFallbackIT: " + f));
        } catch (IOException e) {
            System.err.println("HttpsFallbackIT: could not keep the log: " + e);
        }
    }

    static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + folder + ": " + e);
        }
    }
}
