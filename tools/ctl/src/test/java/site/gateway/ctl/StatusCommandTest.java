package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * Against a loopback HTTP server that answers as the console does (Basic login, the Gateway page's
 * markup); the real console is read in DebianPackageIT.
 */
class StatusCommandTest {
    /** The markup of site.gateway.console.GatewayPage, values encoded as its OWASP encoder does. */
    static final String PAGE = "<div id=\"gateway-page\"><h2>Gateway</h2><table class=\"nicetable\">"
            + "<tr><th style=\"width:14em\">Tenant</th><td>acme</td></tr><tr><th style=\"width:14em\">Gateway</th><td>gw-1</td></tr>"
            + "<tr><th style=\"width:14em\">State</th><td>degraded</td></tr>"
            + "<tr><th style=\"width:14em\">Reason</th><td>wms: &#39;down&#39; &amp; &lt;retrying&gt;</td></tr></table>"
            + "<h2>WMS session</h2><table class=\"nicetable\"><tr><th style=\"width:14em\">State</th><td>disconnected</td></tr>"
            + "<tr><th style=\"width:14em\">Connected since</th><td>-</td></tr><tr><th style=\"width:14em\">Reconnects</th><td>3</td></tr>"
            + "<tr><th style=\"width:14em\">Sent per second</th><td>0.5</td></tr></table>"
            + "<h2>PLCs</h2><table class=\"tablesorter nicetable\" id=\"gateway-plcs\"><thead><tr>"
            + "<th>PLC</th><th>Driver</th><th>State</th><th>Last read</th><th>Reason</th></tr></thead><tbody>"
            + "<tr><td>line1</td><td>modbus-tcp</td><td>connected</td><td>2026-01-01T00:00:00Z</td><td></td></tr></tbody></table>"
            // What the health feature adds (issue 14 point 5): a headed table, then a section without a table.
            + "<h2>Health</h2><table class=\"nicetable\" id=\"gateway-health\"><thead><tr><th style=\"width:14em\">Check</th>"
            + "<th style=\"width:7em\">Status</th><th>Message</th></tr></thead><tbody><tr class=\"hc-WARN\"><td>WMS session</td>"
            + "<td>WARN</td><td>disconnected</td></tr></tbody></table>"
            + "<h2>Last hour</h2><p id=\"gateway-updated\"></p><div id=\"gateway-charts\"><svg></svg></div>"
            + "<script type=\"application/json\" id=\"gateway-live\">{}</script></div>";

    @TempDir
    Path home;
    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void showsThePagesFactsAndExitsOneWhenNotOperational() throws Exception {
        int port = console("s3cret");
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/console-initial-password"), "# generated at the first start\ns3cret\n");
        Ctl human = Ctl.run(home, home, "status", "--url", "http://127.0.0.1:" + port);
        assertThat(human.exit()).as(human.err()).isEqualTo(1);
        assertThat(human.out()).contains("State              degraded").contains("Reason             wms: 'down' & <retrying>")
                .contains("PLC=line1  Driver=modbus-tcp  State=connected");

        Ctl json = Ctl.run(home, home, "status", "--json", "--url", "http://127.0.0.1:" + port);
        JsonNode facts = new ObjectMapper().readTree(json.out());
        assertThat(facts.path("gateway").path("state").asText()).isEqualTo("degraded");
        assertThat(facts.path("wmsSession").path("reconnects").asLong()).isEqualTo(3);
        assertThat(facts.path("wmsSession").path("sentPerSecond").asDouble()).isEqualTo(0.5);
        assertThat(facts.path("wmsSession").path("connectedSince").isNull()).isTrue();
        assertThat(facts.path("plcs").get(0).path("lastRead").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(facts.path("health").get(0).path("status").asText()).isEqualTo("WARN");
        assertThat(facts.has("lastHour")).as("a section without a table is not a fact").isFalse();
    }

    @Test
    void aWrongPasswordIsStatusUnknownAndNoGatewayIsNotRunning() throws Exception {
        int port = console("s3cret");
        Path wrong = Files.writeString(home.resolve("pw"), "other\n");
        Ctl refused = Ctl.run(home, home, "status", "--url", "http://127.0.0.1:" + port, "--password-file", wrong.toString());
        assertThat(refused.exit()).isEqualTo(4);
        assertThat(refused.err()).contains("refused the login of 'admin' (HTTP 401)");

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Ctl down = Ctl.run(home, home, "status", "--url", "http://127.0.0.1:" + closed, "--password-file", wrong.toString());
        assertThat(down.exit()).isEqualTo(3);
        assertThat(down.err()).contains("the gateway is not running");
    }

    @Test
    void theConsoleAddressComesFromTheHomesConf() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = 18081\norg.apache.felix.http.host = 0.0.0.0\n");
        assertThat(StatusCommand.defaultUrl(new Home(home, home))).isEqualTo("http://127.0.0.1:18081");
    }

    private int console(String password) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        server.createContext(StatusCommand.PAGE, exchange -> {
            boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? PAGE : "unauthorized").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }
}
