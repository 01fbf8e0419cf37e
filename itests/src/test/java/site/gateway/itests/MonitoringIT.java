package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 14, health and metrics on the real distribution against the WMS sandbox (real TLS 1.3) with a
 * simulated PLC: {@code /system/health} (Apache Felix Health Checks) answers JSON with one check per
 * concern, 200 while nothing is critical and 503 once a PLC becomes unreachable; {@code /metrics} is parsed
 * by the Prometheus project's own Python parser (Debian's python3-prometheus-client); both refuse requests
 * without credentials or with a foreign Host, and take the separate monitoring user, who cannot open the console.
 */
public class MonitoringIT {
    private static final Duration START = Duration.ofSeconds(180);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String MONITORING_PASSWORD = "scrape-only-Qx7tK2";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    public void healthAndMetricsOfARunningGateway() throws Exception {
        assumeTrue("Debian's python3-prometheus-client is needed (apt-get install python3-prometheus-client; .ci/run installs it)",
                Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import prometheus_client.parser")
                        .start().waitFor() == 0);
        Path home = Files.createTempDirectory("gateway-monitoring-home");
        DevPki pki = DevPki.generate("demo-tenant", "gw-01");
        pki.writeTo(home.resolve("certs"), "monitoring-passphrase-not-secret".toCharArray());
        Files.createDirectories(home.resolve("data/crl"));
        pki.writeCrl(home.resolve("data/crl/wms.crl"));
        String plc = "gateway.plc-sim1.cfg";
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start();
             ProvisionedGateway gateway = ProvisionedGateway.start(home, Map.of(
                     "gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\n",
                     "gateway.console.cfg", "monitoringUser = prometheus\nmonitoringPassword = " + MONITORING_PASSWORD + "\n",
                     plc, "plcId = line1\nconnection = simulated://line1\npollIntervalMs = 100\n"
                             + "tags = speed=RANDOM/speed:REAL, count=RANDOM/count:DINT\n"))) {
            try {
                String base = gateway.consoleBase();
                Await.until("the generated console password", START,
                        () -> !GatewayProcess.consolePassword(home).startsWith("("));
                String admin = GatewayProcess.basic("admin", GatewayProcess.consolePassword(home));
                String prometheus = GatewayProcess.basic("prometheus", MONITORING_PASSWORD);

                // Every check OK: connected, certificate and CRL fresh, PLC read, buffer small, audit writing, disk.
                List<String> expected = List.of("WMS session", "Buffer", "PLC line1", "Client certificate", "CRL freshness",
                        "Audit writer", "Disk space of data/");
                String[] last = {""};
                try {
                    Await.until("/system/health answers 200 with every check there and OK", START, () -> {
                        HttpResponse<String> r = get(base + "/system/health", admin, null);
                        last[0] = r.statusCode() + " " + r.body();
                        JsonNode answer = JSON.readTree(r.body());
                        return r.statusCode() == 200 && "OK".equals(answer.path("overallResult").asText())
                                && byName(answer).keySet().containsAll(expected);
                    });
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; last answer: " + last[0], e);
                }
                JsonNode health = JSON.readTree(get(base + "/system/health", admin, null).body());
                Map<String, JsonNode> checks = byName(health);
                for (String name : expected) {
                    assertTrue("check " + name + " in " + checks.keySet(), checks.containsKey(name));
                    assertTrue(name + " is tagged gateway", checks.get(name).path("tags").toString().contains("\"gateway\""));
                }
                assertTrue("the PLC check is tagged plc", checks.get("PLC line1").path("tags").toString().contains("\"plc\""));

                // Protections of the console apply: no credentials, a foreign Host, a wrong password.
                assertEquals(401, get(base + "/system/health", null, null).statusCode());
                assertEquals(401, get(base + "/metrics", null, null).statusCode());
                assertEquals(401, get(base + "/metrics", GatewayProcess.basic("prometheus", "wrong"), null).statusCode());
                assertEquals(403, get(base + "/metrics", admin, "attacker.example").statusCode());
                // The monitoring user reads the endpoints but not the console.
                assertEquals(200, get(base + "/system/health", prometheus, null).statusCode());
                assertEquals(401, get(base + "/system/console/gateway", prometheus, null).statusCode());

                // Metrics: delivered messages were timed from append to acknowledgement.
                Await.until("delivery latencies observed", SETTLE, () -> {
                    Map<String, Double> m = parse(get(base + "/metrics", prometheus, null).body());
                    return m.getOrDefault("gateway_delivery_latency_seconds_count", 0.0) > 0;
                });
                HttpResponse<String> scrape = get(base + "/metrics", prometheus, null);
                assertEquals(200, scrape.statusCode());
                assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                Map<String, Double> metrics = parse(scrape.body());
                assertEquals(1.0, metrics.get("gateway_wms_connected"), 0);
                assertEquals(1.0, metrics.get("gateway_plc_up{driver=simulated,plc=line1}"), 0);
                assertEquals(1.0, metrics.get("gateway_operational"), 0);
                assertTrue(metrics.get("gateway_acknowledged_seqs_total") > 0);
                assertTrue(metrics.get("gateway_messages_appended_total") > 0);
                assertTrue(metrics.containsKey("gateway_buffer_messages"));
                assertTrue(metrics.containsKey("gateway_buffer_oldest_age_seconds"));
                assertTrue(metrics.containsKey("gateway_delivery_latency_seconds_bucket{le=+Inf}"));
                assertTrue(metrics.get("jvm_memory_used_bytes{area=heap}") > 0);
                assertTrue(metrics.containsKey("process_cpu_seconds_total"));

                // PLC reads as the PLC bundle counts them, per PLC and driver: polls every 100 ms, all answered.
                String line1 = "driver=simulated,plc=line1";
                assertTrue("reads of line1 counted", metrics.getOrDefault("gateway_plc_reads_total{" + line1 + "}", 0.0) > 0);
                assertEquals(0.0, metrics.get("gateway_plc_read_errors_total{" + line1 + "}"), 0);
                assertTrue(metrics.get("gateway_plc_read_latency_seconds_count{" + line1 + "}") > 0);
                assertEquals("every read that answered was timed", metrics.get("gateway_plc_read_latency_seconds_count{" + line1 + "}"),
                        metrics.get("gateway_plc_read_latency_seconds_bucket{driver=simulated,le=+Inf,plc=line1}"));

                // Command latency by outcome: one query executed, one command for an unknown PLC rejected.
                ObjectNode query = wms.newCommand("line1", "query", JSON.readTree("{\"reads\":[\"speed\"]}"));
                String queryId = wms.sendCommand(query).get("commandId").asText();
                assertEquals("succeeded", wms.awaitCommandResult(pki.gatewayId(), queryId, SETTLE).json().path("status").asText());
                String unknownId = wms.sendCommand(wms.newCommand("no-such-plc", "query", JSON.readTree("{\"reads\":[\"speed\"]}")))
                        .get("commandId").asText();
                assertEquals("unknown-plc", wms.awaitCommandAck(unknownId, SETTLE).path("reason").asText());
                Map<String, Double> commands = parse(get(base + "/metrics", prometheus, null).body());
                assertEquals(1.0, commands.get("gateway_command_latency_seconds_count{outcome=succeeded}"), 0);
                assertEquals(1.0, commands.get("gateway_command_latency_seconds_count{outcome=rejected}"), 0);
                for (String outcome : List.of("failed", "timed-out", "expired")) {
                    assertEquals(outcome, 0.0, commands.get("gateway_command_latency_seconds_count{outcome=" + outcome + "}"), 0);
                }
                assertTrue(commands.get("gateway_command_latency_seconds_sum{outcome=succeeded}") > 0);

                // A PLC that cannot be reached is critical: 503, and the check says why.
                Files.writeString(home.resolve("conf").resolve(plc),
                        "plcId = line1\nconnection = modbus-tcp://127.0.0.1:1\npollIntervalMs = 100\ntags = speed=holding-register:1:INT\n",
                        StandardCharsets.UTF_8);
                Await.until("/system/health answers 503 with the PLC critical", SETTLE, () -> {
                    HttpResponse<String> r = get(base + "/system/health", admin, null);
                    JsonNode line = byName(JSON.readTree(r.body())).get("PLC line1");
                    return r.statusCode() == 503 && line != null && "CRITICAL".equals(line.path("status").asText());
                });
                Await.until("gateway_plc_up 0 for the unreachable PLC", SETTLE, () -> parse(get(base + "/metrics", admin, null).body())
                        .getOrDefault("gateway_plc_up{driver=modbus-tcp,plc=line1}", -1.0) == 0.0);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- last lines of logs/gateway.log ---\n" + tail(gateway.log(), 40), e);
            }
        } finally {
            deleteRecursively(home);
        }
    }

    private HttpResponse<String> get(String url, String authorization, String host) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (host != null) {
            // the JDK client refuses to set Host itself; a plain socket request says what a rebinding page would send
            return RawHttp.get(URI.create(url), host, authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, JsonNode> byName(JsonNode health) {
        Map<String, JsonNode> out = new HashMap<>();
        health.path("results").forEach(r -> out.put(r.path("name").asText(), r));
        return out;
    }

    /**
     * The samples of a scrape, parsed by prometheus_client's text parser, keyed {@code name{label=value,...}}
     * (labels sorted, values unquoted) so a test can look them up.
     */
    static Map<String, Double> parse(String exposition) throws Exception {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", String.join("\n",
                "import sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "for family in text_string_to_metric_families(sys.stdin.read()):",
                "    for s in family.samples:",
                "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
                "        print(s.name + ('{' + labels + '}' if labels else '') + '\\t' + repr(float(s.value)))"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the parser finished", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("the Prometheus parser accepts the exposition", 0, p.exitValue());
        Map<String, Double> samples = new HashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                samples.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1)));
            }
        }
        return samples;
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One GET over a plain socket, for a Host header the JDK client will not send. */
    private static final class RawHttp {
        static HttpResponse<String> get(URI url, String host, String authorization) throws Exception {
            try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(10_000);
                String request = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + host + "\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(response.substring(9, 12));
                return new StatusOnly(status, url);
            }
        }
    }

    private record StatusOnly(int statusCode, URI uri) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri).build();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public String body() {
            return "";
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
