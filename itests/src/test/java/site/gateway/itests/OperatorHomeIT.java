package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.sandbox.Registration;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Homes the way site IT lays them out, started with {@code bin/gateway}: a {@code conf/} written by
 * configuration management with only the gateway's own PIDs and the HTTP port, an empty {@code deploy/},
 * a home that lacks a gateway bundle, an older home that still has its deploy/ watcher {@code .cfg}, and
 * a console port that another program holds (8080, or the configured one).
 */
public class OperatorHomeIT {
    private static final String TENANT = "acme-ops";
    private static final String GATEWAY = "gw-ops-01";
    private static final String PLC = "line1";
    /** Start of a JVM with ~70 bundles on a loaded 2-core machine; bounds a hang only. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    public void aConfOfOnlyTheGatewaysPidsAndAnEmptyDeployRunsTheWholeGatewayAndDelivers() throws Exception {
        Path home = Files.createTempDirectory("gateway-operator-home");
        try {
            DevPki pki = DevPki.generate(TENANT, GATEWAY);
            pki.writeTo(home.resolve("certs"), "operator-passphrase-not-secret".toCharArray());
            Files.createDirectories(home.resolve("data/crl"));
            pki.writeCrl(home.resolve("data/crl/wms.crl"));
            Files.createDirectories(home.resolve("deploy"));
            int consolePort = freePort();
            try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
                writeConf(home, operatorConf(wms.baseUrl(), consolePort));
                try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home, null)) {
                    try {
                        awaitGatewayBundlesActive(gateway, consolePort);
                        wms.awaitRegistrations(1, START);
                        Registration registration = wms.registrations().get(0);
                        assertEquals(TENANT, registration.tenantId());
                        assertEquals("the identity of conf/gateway.identity.cfg", GATEWAY, registration.gatewayId());
                        wms.awaitSession(GATEWAY, WAIT);
                        wms.await("5 telemetry messages of " + PLC + " delivered", () -> wms.receivedDurable(GATEWAY).stream()
                                .filter(m -> "telemetry".equals(m.type()) && PLC.equals(m.json().path("plcId").asText()))
                                .count() >= 5, WAIT);
                        Await.until("the bundle check says all are active", WAIT,
                                () -> gateway.log().contains("All " + gatewayBundles().size() + " gateway bundles are active"));
                    } catch (AssertionError | RuntimeException e) {
                        throw withLog(e, gateway);
                    } finally {
                        GatewayLog.keep(home, "OperatorHomeIT-conf-managed");
                    }
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    @Test
    public void aHomeWithoutOneOfTheGatewaysBundlesLogsAnErrorNamingItAndRunsDegraded() throws Exception {
        Path home = Files.createTempDirectory("gateway-missing-bundle-home");
        String missing = "site.gateway.heartbeat";
        try {
            Path deploy = Files.createDirectories(home.resolve("deploy"));
            try (Stream<Path> jars = Files.list(GatewayOptions.DIST.resolve("deploy"))) {
                for (Path jar : jars.filter(j -> !j.getFileName().toString().equals(missing + ".jar")).toList()) {
                    Files.copy(jar, deploy.resolve(jar.getFileName()));
                }
            }
            int consolePort = freePort();
            writeConf(home, Map.of("gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                    "org.apache.felix.http.cfg", httpCfg(consolePort)));
            try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home, null)) {
                try {
                    Await.until("an ERROR naming " + missing, START,
                            () -> !GatewayLog.matching(gateway.log(), "ERROR", missing).isEmpty());
                    List<String> errors = GatewayLog.matching(gateway.log(), "ERROR", missing);
                    assertEquals("one ERROR line: " + errors, 1, errors.size());
                    assertTrue("says it is not installed: " + errors, errors.get(0).contains(missing + " (not installed"));
                    Await.until("the Gateway page shows degraded with the missing bundle", WAIT, () -> {
                        String page = get(home, consolePort, "/system/console/gateway").body();
                        return page.contains("<td>degraded</td>") && page.contains(missing);
                    });
                } catch (AssertionError | RuntimeException e) {
                    throw withLog(e, gateway);
                } finally {
                    GatewayLog.keep(home, "OperatorHomeIT-missing-bundle");
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    @Test
    public void anOlderHomeWhoseConfStillWatchesDeployKeepsThatWatchAndRunsEveryBundle() throws Exception {
        Path home = Files.createTempDirectory("gateway-older-home");
        try {
            Path conf = Files.createDirectories(home.resolve("conf"));
            try (Stream<Path> defaults = Files.list(GatewayOptions.DIST.resolve("conf"))) {
                for (Path file : defaults.toList()) {
                    Files.copy(file, conf.resolve(file.getFileName()));
                }
            }
            int consolePort = freePort();
            // What earlier versions shipped and an existing home still holds.
            writeConf(home, Map.of("org.apache.felix.fileinstall-deploy.cfg", "felix.fileinstall.dir = deploy\n"
                            + "felix.fileinstall.filter = .*\\\\.jar\nfelix.fileinstall.poll = 200\n"
                            + "felix.fileinstall.noInitialDelay = false\nfelix.fileinstall.start.level = 4\n"
                            + "felix.fileinstall.bundles.new.start = true\nfelix.fileinstall.bundles.updateWithListeners = true\n",
                    "org.apache.felix.http.cfg", httpCfg(consolePort)));
            try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home, null)) {
                try {
                    awaitGatewayBundlesActive(gateway, consolePort);
                    Await.until("the bundle check says all are active", WAIT,
                            () -> gateway.log().contains("All " + gatewayBundles().size() + " gateway bundles are active"));
                    assertTrue("the log says which file watches deploy/",
                            gateway.log().contains("deploy/ is watched by conf/org.apache.felix.fileinstall-deploy.cfg"));
                    assertFalse("deploy/ watched once: no bundle installed twice",
                            gateway.log().contains("already installed"));
                } catch (AssertionError | RuntimeException e) {
                    throw withLog(e, gateway);
                } finally {
                    GatewayLog.keep(home, "OperatorHomeIT-older-home");
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    @Test
    public void withPort8080HeldByAnotherProgramTheConsoleStartsOnTheConfiguredPortWithoutAnError() throws Exception {
        Path home = Files.createTempDirectory("gateway-8080-held-home");
        try (ServerSocket other = holdIfFree(8080)) {
            int consolePort = freePort();
            writeConf(home, Map.of("gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                    "org.apache.felix.http.cfg", httpCfg(consolePort)));
            try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home, null)) {
                try {
                    Await.until("the console answers on the configured port " + consolePort, START,
                            () -> get(home, consolePort, "/system/console/bundles.json").statusCode() == 200);
                    List<String> http = httpProblems(gateway.log());
                    assertEquals("no ERROR or WARN from the HTTP service: " + http, List.of(), http);
                    assertFalse("never tried 8080", gateway.log().contains(":8080"));
                } catch (AssertionError | RuntimeException e) {
                    throw withLog(e, gateway);
                } finally {
                    GatewayLog.keep(home, "OperatorHomeIT-8080-held");
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    @Test
    public void aBusyConfiguredPortGetsOneWarningAndTheConsoleComesUpOnceItIsFree() throws Exception {
        Path home = Files.createTempDirectory("gateway-busy-port-home");
        try {
            ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            int consolePort = other.getLocalPort();
            writeConf(home, Map.of("gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                    "org.apache.felix.http.cfg", httpCfg(consolePort)));
            try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home, null)) {
                try {
                    String port = "127.0.0.1:" + consolePort;
                    Await.until("a WARN naming the busy port " + port, START,
                            () -> !GatewayLog.matching(gateway.log(), "WARN", port).isEmpty());
                    // The rest of the gateway runs meanwhile (and the starter has checked the port again since).
                    Await.until("the gateway's bundles are active", START,
                            () -> gateway.log().contains("All " + gatewayBundles().size() + " gateway bundles are active"));
                    assertFalse("Felix HTTP was not started on the busy port", gateway.log().contains("Started Jetty"));
                    other.close();
                    Await.until("the console answers on " + port + " once it is free", WAIT,
                            () -> get(home, consolePort, "/system/console/bundles.json").statusCode() == 200);
                    List<String> warnings = GatewayLog.matching(gateway.log(), "WARN", port);
                    assertEquals("exactly one WARN naming the port: " + warnings, 1, warnings.size());
                    List<String> http = httpProblems(gateway.log()).stream().filter(l -> !warnings.contains(l)).toList();
                    assertEquals("no other ERROR or WARN about HTTP: " + http, List.of(), http);
                } catch (AssertionError | RuntimeException e) {
                    throw withLog(e, gateway);
                } finally {
                    other.close();
                    GatewayLog.keep(home, "OperatorHomeIT-busy-port");
                }
            }
        } finally {
            deleteRecursively(home);
        }
    }

    /** conf/ as configuration management writes it: the gateway's own PIDs and the HTTP port, nothing else. */
    private static Map<String, String> operatorConf(String wmsUrl, int consolePort) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n");
        conf.put("gateway.wms.cfg", "endpoints = " + wmsUrl + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\n");
        conf.put("gateway.crypto.cfg", "certificate = certs/gateway.crt\nprivateKey = certs/gateway.key\n"
                + "keyPassphraseFile = certs/gateway.pass\ntrustAnchors = certs/wms-ca.crt\ncrlFile = data/crl/wms.crl\n"
                + "commandKeys = certs/command-keys\n");
        conf.put("gateway.buffer.cfg", "maxBytes = 268435456\n");
        conf.put("gateway.commands.cfg", "queueCapacity = 100\n");
        conf.put("gateway.plc-" + PLC + ".cfg", "plcId = " + PLC + "\nconnection = simulated://" + PLC + "\npollIntervalMs = 200\n"
                + "tags = conveyor1.speed=RANDOM/conveyor1_speed:REAL\n");
        conf.put("org.apache.felix.http.cfg", httpCfg(consolePort));
        return conf;
    }

    private static String httpCfg(int port) {
        return "org.osgi.service.http.port = " + port + "\norg.apache.felix.http.host = 127.0.0.1\n";
    }

    private static void writeConf(Path home, Map<String, String> files) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(conf.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** The gateway's own bundles of the distribution (deploy/site.gateway.*.jar). */
    private static List<String> gatewayBundles() throws IOException {
        return GatewayOptions.symbolicNames(GatewayOptions.DIST.resolve("deploy")).stream()
                .filter(name -> name.startsWith("site.gateway.")).sorted().toList();
    }

    private static void awaitGatewayBundlesActive(ProvisionedGateway gateway, int consolePort) throws IOException {
        List<String> expected = gatewayBundles();
        Await.until("the console lists " + expected + " active", START, () -> {
            assertTrue("gateway process alive", gateway.process().isAlive());
            Map<String, String> states = new LinkedHashMap<>();
            for (JsonNode bundle : JSON.readTree(get(gateway.home(), consolePort, "/system/console/bundles.json").body()).path("data")) {
                states.put(bundle.path("symbolicName").asText(), bundle.path("state").asText());
            }
            return expected.stream().allMatch(name -> "Active".equals(states.get(name)));
        });
    }

    /** ERROR and WARN lines of the HTTP service (Felix HTTP, Jetty, the starter). */
    private static List<String> httpProblems(String log) {
        return GatewayLog.errorsAndWarnings(log).stream()
                .filter(l -> l.contains("org.apache.felix.http") || l.contains("jetty") || l.contains("Connector")
                        || l.contains("HttpStarter") || l.contains(":8080"))
                .toList();
    }

    private static HttpResponse<String> get(Path home, int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", GatewayProcess.basic("admin", GatewayProcess.consolePassword(home)))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Holds 127.0.0.1:{@code port}; null when another program holds it already (busy either way). */
    private static ServerSocket holdIfFree(int port) throws IOException {
        try {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (BindException busy) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static AssertionError withLog(Throwable e, ProvisionedGateway gateway) {
        List<String> lines = gateway.log().lines().toList();
        return new AssertionError(e.getMessage() + "\n--- last lines of logs/gateway.log ---\n"
                + lines.subList(Math.max(0, lines.size() - 60), lines.size()).stream().collect(Collectors.joining("\n")), e);
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("OperatorHomeIT: could not delete " + folder + ": " + e);
        }
    }
}
