package site.gateway.itests;

import static org.junit.Assert.assertEquals;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

/**
 * The assembled distribution as an operator runs it: {@code bin/gateway} on a fresh GATEWAY_HOME
 * starts every bundle, serves the web console on the configured loopback port, and stops cleanly on
 * SIGTERM with exit code 0.
 */
public class DistributionIT {
    private static final Pattern ALL_ACTIVE = Pattern.compile("(\\d+) bundles in total - all \\1 bundles active");

    private Process gateway;

    @After
    public void killLeftover() {
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly();
        }
    }

    @Test
    public void startsAllBundlesServesTheConsoleAndStopsCleanlyOnSigterm() throws Exception {
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
        gateway = builder.start();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest bundles = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/system/console/bundles.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .build();
        Await.until("the console reports every bundle active", Duration.ofSeconds(60), () -> {
            assertTrue("gateway process alive", gateway.isAlive());
            HttpResponse<String> response = http.send(bundles, HttpResponse.BodyHandlers.ofString());
            Matcher status = ALL_ACTIVE.matcher(response.body());
            return response.statusCode() == 200 && status.find() && Integer.parseInt(status.group(1)) > 20;
        });
        assertTrue("GATEWAY_HOME was seeded with the gateway bundles",
                Files.exists(home.resolve("deploy/site.gateway.core.jar")));

        gateway.destroy(); // SIGTERM
        assertTrue("stopped within 10 s", gateway.waitFor(10, TimeUnit.SECONDS));
        assertEquals("exit code after SIGTERM", 0, gateway.exitValue());
        String log = Files.readString(home.resolve("logs/gateway.log"), StandardCharsets.UTF_8);
        assertTrue("components were deactivated", log.contains("Gateway status shutting-down"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
