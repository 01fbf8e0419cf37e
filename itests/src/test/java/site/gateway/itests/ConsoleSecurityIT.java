package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * Issue 13 points 1 and 7 on the distribution as an operator starts it: no working default console
 * password, the generated one in an owner-only file named in the log, Host and cross-site checks (a
 * real cross-site form POST from another origin, submitted by Chromium), a lockout after failed logins,
 * and no file the gateway wrote readable by others (umask 027).
 */
public class ConsoleSecurityIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final String STOP_TARGET = "org.owasp.encoder";

    @Test
    public void theConsoleHasNoDefaultPasswordChecksOriginsAndLocksOutGuessers() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start()) {
            Path secret = gateway.home().resolve("data/console-initial-password");
            gateway.awaitAllActive(Duration.ofSeconds(180)); // bounds a hang only: a loaded machine is slow
            String log = Files.readString(gateway.home().resolve("logs/gateway.log"), StandardCharsets.UTF_8);
            assertTrue("the log names the password file", log.contains("a random password was generated for user 'admin'")
                    && log.contains(secret.toString()));
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(secret));
            Path cfg = gateway.home().resolve("conf/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(cfg));
            assertTrue("the hash, not the password, is in conf/", Files.readString(cfg).contains("password = {sha-256}")
                    && !Files.readString(cfg).contains(gateway.password()));

            String bundles = "/system/console/bundles.json";
            assertEquals("admin/admin refused", 401, status(gateway, bundles, "admin", "admin", null));
            assertEquals("the generated password works", 200, status(gateway, bundles, "admin", gateway.password(), null));
            assertEquals("a re-bound DNS name is refused", 403,
                    status(gateway, bundles, "admin", gateway.password(), "rebind.attacker.example:" + gateway.port()));

            crossSiteFormPostFails(gateway);

            for (int i = 0; i < 5; i++) {
                assertEquals(401, status(gateway, bundles, "admin", "guess-" + i, null));
            }
            assertEquals("locked out after 5 failures, even with the right password", 429,
                    status(gateway, bundles, "admin", gateway.password(), null));

            // Issue 13 point 7: umask 027, so nothing the gateway wrote is readable by others.
            List<String> open = new ArrayList<>();
            for (String folder : List.of("logs", "data", "conf")) {
                try (Stream<Path> files = Files.walk(gateway.home().resolve(folder))) {
                    files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".cfg")
                            || !Files.exists(GatewayOptions.DIST.resolve("conf").resolve(f.getFileName())))
                            .forEach(f -> {
                                try {
                                    Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
                                    if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                                        open.add(f + " " + java.nio.file.attribute.PosixFilePermissions.toString(p));
                                    }
                                } catch (IOException e) {
                                    // deleted meanwhile
                                }
                            });
                }
            }
            assertTrue("files readable by others: " + open, open.isEmpty());
        }
    }

    private static int status(GatewayProcess gateway, String path, String user, String password, String host) throws Exception {
        if (host == null) {
            return gateway.send(HttpRequest.newBuilder(URI.create(gateway.consoleBase() + path))
                    .header("Authorization", GatewayProcess.basic(user, password))).statusCode();
        }
        // java.net.http refuses to set Host: send the request by hand.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: "
                    + GatewayProcess.basic(user, password) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    /** A page of another origin auto-submits a form that would stop a bundle; the bundle keeps running. */
    private void crossSiteFormPostFails(GatewayProcess gateway) throws Exception {
        assumeTrue("Debian's chromium is needed (apt-get install chromium; .ci/run installs it)", Files.isExecutable(CHROMIUM));
        String action = gateway.consoleBase().replace("http://", "http://admin:" + gateway.password() + "@")
                + "/system/console/bundles/" + STOP_TARGET;
        String page = "<html><body><form id=f method=POST action=\"" + action + "\">"
                + "<input name=action value=stop></form><script>document.getElementById('f').submit()</script></body></html>";
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--virtual-time-budget=10000", "--user-data-dir=" + Files.createTempDirectory(gateway.home(), "chromium"),
                    "--dump-dom", "http://127.0.0.1:" + attacker.getAddress().getPort() + "/"));
            Path out = Files.createTempFile(gateway.home(), "chromium", ".out");
            Process chromium = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue("chromium finished", chromium.waitFor(90, TimeUnit.SECONDS));
        } finally {
            attacker.stop(0);
        }
        Await.until("the console refused the cross-site POST", Duration.ofSeconds(30), () -> Files.readString(
                gateway.home().resolve("logs/gateway.log"), StandardCharsets.UTF_8).contains("refused: cross-site POST"));
        String state = gateway.get("/system/console/bundles/" + STOP_TARGET + ".json").body();
        assertFalse("the bundle was not stopped: " + state, state.contains("\"state\":\"Resolved\""));
        assertTrue("the bundle is still active: " + state, state.contains("\"state\":\"Active\""));
    }
}
