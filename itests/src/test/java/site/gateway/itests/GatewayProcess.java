package site.gateway.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The assembled distribution started with {@code bin/gateway}, as an operator starts it, on a fresh
 * GATEWAY_HOME whose console listens on a free loopback port.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern TOTAL = Pattern.compile("Bundle information: (\\d+) bundles in total");

    private final Path home;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private GatewayProcess(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    public static GatewayProcess start() throws IOException {
        Path home = Files.createTempDirectory("gateway-dist-home");
        int port = freePort();
        Path conf = Files.createDirectories(home.resolve("conf"));
        try (Stream<Path> defaults = Files.list(GatewayOptions.DIST.resolve("conf"))) {
            for (Path file : defaults.toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        Files.writeString(conf.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = " + port + "\norg.apache.felix.http.host = 127.0.0.1\n");
        ProcessBuilder builder = new ProcessBuilder(GatewayOptions.DIST.resolve("bin/gateway").toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.out").toFile());
        builder.environment().put("GATEWAY_HOME", home.toString());
        builder.environment().put("GATEWAY_OPTS", "-Dorg.osgi.service.http.port=" + port);
        return new GatewayProcess(home, port, builder.start());
    }

    /** Waits until every bundle of system/ and deploy/ (and the framework) is installed and none is left unstarted. */
    public GatewayProcess awaitAllActive(Duration timeout) throws IOException {
        // The console has no default password: the gateway generates one at first start (issue 13).
        Await.until("the generated console password", timeout, () -> {
            assertTrue("gateway process alive", process.isAlive());
            return Files.exists(home.resolve("data/console-initial-password"));
        });
        int expected = 1 + jarCount(GatewayOptions.DIST.resolve("system")) + jarCount(GatewayOptions.DIST.resolve("deploy"));
        Await.until("the console reports all " + expected + " bundles active", timeout, () -> {
            assertTrue("gateway process alive", process.isAlive());
            HttpResponse<String> response = get("/system/console/bundles.json");
            Matcher total = TOTAL.matcher(response.body());
            // Active, or Starting for bundles with lazy activation (e.g. JNA); none left Installed or Resolved.
            return response.statusCode() == 200 && total.find() && Integer.parseInt(total.group(1)) >= expected
                    && !response.body().contains("\"state\":\"Installed\"")
                    && !response.body().contains("\"state\":\"Resolved\"");
        });
        return this;
    }

    private static int jarCount(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.toString().endsWith(".jar")).count();
        }
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(consoleBase() + path)).header("Authorization", basic("admin", password())));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The console password the gateway generated at its first start (issue 13: there is no default). */
    public String password() throws IOException {
        return consolePassword(home);
    }

    /** The console password generated at the first start of {@code home}, "(not generated yet)" before. */
    public static String consolePassword(Path home) throws IOException {
        Path file = home.resolve("data/console-initial-password");
        if (!Files.exists(file)) {
            return "(not generated yet)";
        }
        java.util.List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    public int port() {
        return port;
    }

    public String consoleBase() {
        return "http://127.0.0.1:" + port;
    }

    public Path home() {
        return home;
    }

    public Process process() {
        return process;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
