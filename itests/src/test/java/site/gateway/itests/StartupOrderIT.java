package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.Registration;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.TlsObservation;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 12 (points 2–5) and 19.3 on the real distribution: work must not run before its collaborators exist.
 * The home is the worst case for start-up order: a certificate due for renewal (expiring in 2 days), no CRL,
 * a PLC configured in {@code conf/}; while the session is open the heartbeat bundle is stopped and started
 * again (so its outage tracker binds after the session opened), a second PLC is added, then the WMS goes
 * away for a few seconds. Observed from the WMS side: the first register lists the PLC and the added one
 * appears in the heartbeats; crl.stale (raised at start, before the buffer or the session exist) arrives;
 * the renewal starts right after the first session and the next register and WebSocket use the new
 * certificate; exactly one wms.unreachable with the outage's start and length; and the log shows no SCR
 * service-cycle errors. Figures go to {@code target/failsafe-reports}.
 */
public class StartupOrderIT {
    private static final String TENANT = "acme-order";
    private static final String GATEWAY = "gw-order-01";
    private static final String PLC = "sim1";
    /** Start-up of a JVM with ~60 bundles on a loaded 2-core machine; only bounds a hang. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The outage the test makes (the scenario's length, not a synchronisation). */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> figures = new ArrayList<>();

    @Test
    public void everythingWorksWhateverStartsFirst() throws Exception {
        Path home = Files.createTempDirectory("gateway-order-home");
        // Valid for 2 days: within renewBeforeDays (14), so the renewal is due at start.
        DevPki pki = DevPki.generate(TENANT, GATEWAY, "wms-cmd-order", Duration.ofDays(2));
        pki.writeTo(home.resolve("certs"), "order-passphrase-not-secret".toCharArray());
        BigInteger provisioned = pki.gatewayCertificate().serial();

        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).renewalValidity(Duration.ofDays(60)).start();
             ProvisionedGateway gateway = ProvisionedGateway.start(home, Map.of(
                     "gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                     "gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\n",
                     "gateway.plc-" + PLC + ".cfg", "plcId = " + PLC + "\nconnection = simulated://" + PLC
                             + "\npollIntervalMs = 500\ntags = speed=RANDOM/speed:REAL\n"))) {
            try {
                run(wms, gateway, provisioned);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- logs/gateway.log (last 80 lines) ---\n" + tail(gateway.log(), 80), e);
            } finally {
                keep(gateway);
            }
        } finally {
            deleteRecursively(home);
        }
    }

    private void run(WmsSandbox wms, ProvisionedGateway gateway, BigInteger provisioned) throws Exception {
        // 12.2: the first register lists the PLC configured in conf/ at start.
        wms.awaitRegistrations(1, START);
        Registration first = wms.registrations().get(0);
        assertEquals("registered with the provisioned certificate", provisioned, first.clientCertificateSerial());
        JsonNode plcs = first.request().path("plcs");
        assertTrue("the first register lists " + PLC + ": " + plcs, plcIds(plcs).contains(PLC));

        // 12.5: the renewal starts after the first session opens and is used for the next register and WebSocket.
        SessionRecord session = wms.awaitSession(GATEWAY, WAIT);
        wms.await("a register with the renewed certificate", () -> wms.registrations().stream()
                .anyMatch(r -> !r.clientCertificateSerial().equals(provisioned)), WAIT);
        Registration renewed = wms.registrations().stream().filter(r -> !r.clientCertificateSerial().equals(provisioned))
                .findFirst().orElseThrow();
        assertEquals("one renewal", 1, wms.renewedCertificates().size());
        assertEquals("the renewed certificate registers", wms.renewedCertificates().get(0).getSerialNumber(),
                renewed.clientCertificateSerial());
        long renewedAfterMs = Duration.between(session.openedAt(), renewed.at()).toMillis();
        figures.add("first session open -> register with the renewed certificate: " + renewedAfterMs + " ms");
        figures.add("session synchronised -> renewal started (gateway log): "
                + between(gateway.log(), "Session synchronised", "Renewing the client certificate") + " ms");
        wms.await("a WebSocket with the renewed certificate", () -> wms.tlsObservations().stream()
                .anyMatch(o -> o.path().endsWith("/ws") && renewed.clientCertificateSerial().equals(o.clientCertificateSerial())), WAIT);
        assertFalse("no cert.rotation-failed for 'not connected yet'", alertCodes(wms).contains("cert.rotation-failed"));

        // 12.4: no CRL at start: crl.stale, raised before the buffer and the session existed, reaches the WMS.
        awaitAlert(wms, "crl.stale");
        ReceivedMessage stale = alerts(wms, "crl.stale").get(0);
        figures.add("crl.stale received " + Duration.between(session.openedAt(), stale.receivedAt()).toMillis()
                + " ms after the first session opened");

        // 12.3: the heartbeat bundle restarted while the session is open: it must see the open session.
        long heartbeatBundle = bundleId(gateway, "site.gateway.heartbeat");
        console(gateway, "/system/console/bundles/" + heartbeatBundle, "action=stop");
        Instant restarted = Instant.now();
        console(gateway, "/system/console/bundles/" + heartbeatBundle, "action=start");
        wms.awaitNonDurable("heartbeat", m -> "operational".equals(m.path("status").asText()), restarted, WAIT);

        // 12.2: a PLC added later is announced in the next heartbeats' metrics.plcs (every heartbeat lists them
        // all, §3.4), without a new register (that would replace the session for an inventory change).
        int registrations = wms.registrationCount();
        Instant added = Instant.now();
        Files.writeString(gateway.home().resolve("conf/gateway.plc-sim2.cfg"), "plcId = sim2\nconnection = simulated://sim2"
                + "\npollIntervalMs = 500\ntags = level=RANDOM/level:REAL\n");
        ReceivedMessage listed = wms.awaitNonDurable("heartbeat", m -> plcIds(m.path("metrics").path("plcs")).contains("sim2"),
                added, WAIT);
        figures.add("PLC added to conf/ -> listed in a heartbeat: " + Duration.between(added, listed.receivedAt()).toMillis() + " ms");
        assertEquals("no register for an added PLC", registrations, wms.registrationCount());

        // An outage: exactly one wms.unreachable once reconnected, from when the WMS went away, with its length.
        wms.await("durable traffic before the outage", () -> wms.lastReceivedSeq(GATEWAY) > 0, WAIT);
        Instant offline = Instant.now();
        wms.goOffline();
        Await.until("an outage of " + OUTAGE, OUTAGE.plusSeconds(5), () -> Duration.between(offline, Instant.now()).compareTo(OUTAGE) >= 0);
        Instant online = Instant.now();
        wms.goOnline();
        awaitAlert(wms, "wms.unreachable");
        ReceivedMessage alert = alerts(wms, "wms.unreachable").get(0);
        // One more heartbeat round after the alert: a second alert for the same outage would be there by now.
        Instant afterAlert = Instant.now();
        wms.awaitNonDurable("heartbeat", m -> true, afterAlert.plusSeconds(2), WAIT);
        assertEquals("exactly one wms.unreachable: " + alerts(wms, "wms.unreachable"), 1, alerts(wms, "wms.unreachable").size());
        long outageStartTs = alert.json().path("outageStartTs").asLong();
        long outageMs = alert.json().path("outageMs").asLong();
        long madeMs = Duration.between(offline, online).toMillis();
        assertTrue("outageStartTs " + Instant.ofEpochMilli(outageStartTs) + " is when the WMS went away (" + offline + ")",
                Math.abs(outageStartTs - offline.toEpochMilli()) <= 2_000);
        assertTrue("outageMs " + outageMs + " covers the " + madeMs + " ms outage", outageMs >= madeMs - 2_000);
        figures.add("outage of " + madeMs + " ms reported as outageMs " + outageMs + ", outageStartTs "
                + (outageStartTs - offline.toEpochMilli()) + " ms from going offline");

        // 19.3: no SCR errors from service cycles between the gateway's bundles.
        String log = gateway.log();
        for (String symptom : List.of("Could not get service from ref", "FrameworkEvent ERROR", "Circular reference",
                "logged only", "not connected yet)")) {
            assertFalse("the log shows '" + symptom + "'", log.contains(symptom));
        }
        assertTrue("protocol violations: " + wms.protocolViolations(), wms.protocolViolations().isEmpty());
    }

    /** Milliseconds between the first log lines containing {@code from} and {@code to} (-1 if either is missing). */
    private static long between(String log, String from, String to) {
        Instant a = null;
        Instant b = null;
        for (String line : log.lines().toList()) {
            if (a == null && line.contains(from)) {
                a = Instant.parse(line.substring(0, line.indexOf(' ')));
            } else if (a != null && b == null && line.contains(to)) {
                b = Instant.parse(line.substring(0, line.indexOf(' ')));
            }
        }
        return a == null || b == null ? -1 : Duration.between(a, b).toMillis();
    }

    private static List<String> plcIds(JsonNode plcs) {
        List<String> ids = new ArrayList<>();
        plcs.forEach(p -> ids.add(p.path("plcId").asText()));
        return ids;
    }

    private static List<ReceivedMessage> alerts(WmsSandbox wms, String code) {
        return wms.receivedDurable(GATEWAY).stream()
                .filter(m -> "alert".equals(m.type()) && code.equals(m.json().path("code").asText())).toList();
    }

    private static List<String> alertCodes(WmsSandbox wms) {
        return wms.receivedDurable(GATEWAY).stream().filter(m -> "alert".equals(m.type()))
                .map(m -> m.json().path("code").asText()).toList();
    }

    private static void awaitAlert(WmsSandbox wms, String code) {
        wms.await("a " + code + " alert (alerts so far: " + alertCodes(wms) + ")", () -> !alerts(wms, code).isEmpty(), WAIT);
    }

    private static long bundleId(ProvisionedGateway gateway, String symbolicName) throws Exception {
        HttpResponse<String> response = console(gateway, "/system/console/bundles.json", null);
        for (JsonNode b : JSON.readTree(response.body()).path("data")) {
            if (symbolicName.equals(b.path("symbolicName").asText())) {
                return b.path("id").asLong();
            }
        }
        throw new AssertionError(symbolicName + " not in the console's bundle list");
    }

    /** GET ({@code form == null}) or POST a form to the web console, as an operator's browser does. */
    private static HttpResponse<String> console(ProvisionedGateway gateway, String path, String form) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.consoleBase() + path))
                .header("Authorization", GatewayProcess.basic("admin", GatewayProcess.consolePassword(gateway.home())))
                .header("X-Requested-With", "StartupOrderIT") // the console refuses cross-site writes (issue 13)
                .timeout(Duration.ofSeconds(20));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(path + " answered " + response.statusCode(), response.statusCode() < 400);
        return response;
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void keep(ProvisionedGateway gateway) {
        try {
            Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
            Path log = gateway.home().resolve("logs/gateway.log");
            if (Files.exists(log)) {
                Files.copy(log, reports.resolve("StartupOrderIT-gateway.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(reports.resolve("StartupOrderIT-figures.txt"), figures);
            figures.forEach(f -> System.out.println("StartupOrderIT: " + f));
        } catch (IOException e) {
            System.err.println("StartupOrderIT: could not keep the log: " + e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("StartupOrderIT: could not delete " + folder + ": " + e);
        }
    }
}
