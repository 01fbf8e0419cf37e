package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** Against a loopback server answering as Felix HC's servlet does (503 while critical); the real one in DebianPackageIT. */
class WaitReadyCommandTest {
    @TempDir
    Path home;
    HttpServer server;
    final List<String> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void waitsWhileCriticalAndAsksWithTheMonitoringUserForTheGatewaysChecksButThePlcs() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/gateway.console.cfg"), "monitoringUser = prometheus\nmonitoringPassword = scrape\n");
        int port = health(2, "prometheus:scrape");

        Ctl ready = Ctl.run(home, home, "wait-ready", "--timeout", "30", "--url", "http://127.0.0.1:" + port);

        assertThat(ready.exit()).as(ready.err()).isZero();
        assertThat(asked).hasSize(3).allSatisfy(q -> assertThat(q).isEqualTo("tags=gateway,-plc"));
        assertThat(ready.out()).contains("healthy");
    }

    @Test
    void failsWithTheLastAnswerWhenStillCriticalAtTheTimeout() throws Exception {
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/console-initial-password"), "# generated\ns3cret\n");
        int port = health(Integer.MAX_VALUE, "admin:s3cret");

        Ctl late = Ctl.run(home, home, "wait-ready", "--timeout", "1", "--url", "http://127.0.0.1:" + port);

        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.err()).contains("not healthy after 1 s").contains("HTTP 503").contains("CRITICAL");
        assertThat(asked).isNotEmpty();
    }

    @Test
    void aHashedMonitoringPasswordIsSkippedForTheGeneratedAdminOne() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/gateway.console.cfg"),
                "monitoringUser = prometheus\nmonitoringPassword = {sha-256}0a1b2c3d4e5f6071-10000-c2NyYXBl\n");
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/console-initial-password"), "# generated\ns3cret\n");
        int port = health(0, "admin:s3cret");

        Ctl ready = Ctl.run(home, home, "wait-ready", "--timeout", "30", "--url", "http://127.0.0.1:" + port);

        assertThat(ready.exit()).as(ready.err()).isZero();
    }

    @Test
    void noCredentialsAnywhereIsExitFour() {
        Ctl none = Ctl.run(home, home, "wait-ready", "--timeout", "1", "--url", "http://127.0.0.1:9");
        assertThat(none.exit()).isEqualTo(4);
        assertThat(none.err()).contains("monitoringUser");
    }

    /** Answers 503 the first {@code critical} times, then 200; 401 to other credentials. */
    private int health(int critical, String credentials) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        AtomicInteger answered = new AtomicInteger();
        server.createContext("/system/health", exchange -> {
            int status;
            String body;
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                body = "unauthorized";
            } else {
                asked.add(exchange.getRequestURI().getQuery());
                boolean stillCritical = answered.getAndIncrement() < critical;
                status = stillCritical ? 503 : 200;
                body = "{\"overallResult\":\"" + (stillCritical ? "CRITICAL" : "OK") + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }
}
