package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.PkiFiles;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's pki command and the demo's admin endpoints. */
class AdminAndCliTest {

    @Test
    void pkiCommandWritesAFolderTheSandboxCanServeFrom(@TempDir Path dir) throws Exception {
        Path passFile = dir.resolve("elsewhere/pass.txt");
        Main.main(new String[] {"pki", "--out", dir.resolve("certs").toString(), "--tenant", "acme", "--gateway", "gw-09",
                "--kid", "wms-cmd-2026", "--passphrase-file", passFile.toString()});
        PkiFiles files = PkiFiles.in(dir.resolve("certs"), "wms-cmd-2026");
        assertThat(files.commandPublicKey()).exists();
        assertThat(Files.readString(passFile)).isEqualTo(Files.readString(files.gatewayKeyPassphrase()));

        DevPki pki = DevPki.load(dir.resolve("certs"));
        assertThat(pki.gatewayId()).isEqualTo("gw-09");
        assertThat(pki.commandKey().kid()).isEqualTo("wms-cmd-2026");
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
             TestGateway gateway = new TestGateway(pki.gatewayCertificate(), pki.caCertificate())) {
            assertThat(gateway.register(wms, "acme", "gw-09").get("token").asText()).isNotEmpty();
        }
    }

    @Test
    void adminEndpointsDriveTheFaultSwitches() throws Exception {
        DevPki pki = DevPki.generate("acme", "gw-01");
        try (WmsSandbox wms = WmsSandbox.builder(pki).adminPort(0).start();
             TestGateway gateway = new TestGateway(pki.gatewayCertificate(), pki.caCertificate())) {
            HttpClient http = HttpClient.newHttpClient();
            String admin = "http://127.0.0.1:" + wms.adminPort();
            JsonNode registration = gateway.register(wms, "acme", "gw-01");
            TestGateway.Conversation c = gateway.connect(wms.websocketUrl("gw-01"), registration.get("token").asText(), false);
            c.send(Messages.hello(registration.get("sessionId").asText(), 0, 1));
            c.next("welcome");
            c.send(Messages.status());
            c.send(Messages.telemetry(1));
            c.ackAtLeast(1);

            JsonNode state = TestGateway.MAPPER.readTree(post(http, admin + "/admin/state", null, "GET"));
            assertThat(state.get("registrations").asInt()).isEqualTo(1);
            assertThat(state.get("gateways").get(0).get("lastReceivedSeq").asLong()).isEqualTo(1);
            JsonNode messages = TestGateway.MAPPER.readTree(post(http, admin + "/admin/messages?type=telemetry", null, "GET"));
            assertThat(messages.get(0).get("message").get("seq").asLong()).isEqualTo(1);

            JsonNode command = TestGateway.MAPPER.readTree(post(http, admin + "/admin/commands",
                    "{\"plcId\":\"plc-1\",\"kind\":\"query\",\"payload\":{\"reads\":[\"conveyor1.speed\"]}}", "POST"));
            assertThat(c.next("command").get("commandId")).isEqualTo(command.get("commandId"));
            assertThat(CommandSigner.verify(command, pki.commandKey().publicKey())).isTrue();

            post(http, admin + "/admin/faults/refuse?status=503&retryAfter=9&routes=register", "", "POST");
            HttpResponse<String> refused = gateway.post(wms.baseUrl() + "/api/v1/gateways/register", null, "application/json",
                    TestGateway.registerBody("acme", "gw-01", 1));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("9");
            post(http, admin + "/admin/faults/refuse/stop", "", "POST");

            post(http, admin + "/admin/faults/close?code=1012", "", "POST");
            assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1012);
        }
    }

    private static String post(HttpClient http, String url, String body, String method) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        request = "GET".equals(method) ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
        return response.body();
    }
}
