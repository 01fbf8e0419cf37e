package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.Registration;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.TlsObservation;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * The whole assembled distribution against the WMS sandbox, as a site runs it: {@code bin/gateway} on a
 * home provisioned with a development PKI, the WMS endpoint and a simulated PLC. Everything is observed
 * from the WMS side only: registration over mutual TLS 1.3, the WebSocket session (hello, status first),
 * heartbeats with every §3.4 metric, acknowledged telemetry in seq order, signed commands executed on the
 * PLC with durable results, a tampered command refused, and the orderly shutdown on SIGTERM.
 */
public class EndToEndIT {
    private static final String TENANT = "acme-e2e";
    private static final String GATEWAY = "gw-e2e-01";
    private static final String PLC = "sim1";
    private static final String SPEED = "conveyor1.speed";
    private static final String TARGET = "conveyor1.target";
    private static final List<String> METRICS = List.of("cpuPercent", "processCpuPercent", "memoryUsedBytes",
            "memoryMaxBytes", "rssBytes", "bufferedMessages", "bufferedBytes", "oldestBufferedAgeMs", "droppedMessages",
            "reconnects", "connectedSinceTs", "sentPerSecond");
    /** Start-up of a JVM with ~60 bundles on a loaded 2-core machine. */
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** SIGTERM to exit; only against a hang (the time is printed, measured figures are in docs/performance.md). */
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void theDistributionServesTheWmsFromRegistrationToShutdown() throws Exception {
        long t0 = System.nanoTime();
        Path home = Files.createTempDirectory("gateway-e2e-home");
        DevPki pki = DevPki.generate(TENANT, GATEWAY);
        // The file names are the defaults of gateway.crypto; the CRL where crlFile expects it (no crl.stale at start).
        pki.writeTo(home.resolve("certs"), "e2e-passphrase-not-secret".toCharArray());
        Files.createDirectories(home.resolve("data/crl"));
        pki.writeCrl(home.resolve("data/crl/wms.crl"));

        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start();
             ProvisionedGateway gateway = ProvisionedGateway.start(home, Map.of(
                     "gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + GATEWAY + "\n",
                     "gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\n",
                     "gateway.plc-sim1.cfg", "plcId = " + PLC + "\nconnection = simulated://" + PLC + "\npollIntervalMs = 200\n"
                             + "tags = " + SPEED + "=RANDOM/conveyor1_speed:REAL, " + TARGET + "=STATE/conveyor1_target:DINT\n"))) {
            try {
                run(wms, pki, gateway, t0);
            } catch (AssertionError | RuntimeException e) {
                threadDump(gateway);
                throw new AssertionError(e.getMessage() + "\n--- last lines of logs/gateway.log ---\n" + tail(gateway.log(), 60)
                        + "\n--- the sandbox saw: " + sandboxView(wms), e);
            } finally {
                keepLog(gateway);
            }
        } finally {
            deleteRecursively(home);
        }
    }

    private void run(WmsSandbox wms, DevPki pki, ProvisionedGateway gateway, long t0) throws Exception {
        // 1. Registration (§2.1) with the gateway's own client certificate, TLS 1.3 on every request.
        wms.awaitRegistrations(1, START);
        long registeredMs = elapsedMs(t0);
        Registration registration = wms.registrations().get(0);
        assertEquals(TENANT, registration.tenantId());
        assertEquals(GATEWAY, registration.gatewayId());
        assertEquals("registered with the provisioned client certificate",
                pki.gatewayCertificate().serial(), registration.clientCertificateSerial());
        JsonNode request = registration.request();
        assertEquals(1, request.path("protocol").asInt());
        assertEquals("a fresh home has nothing acknowledged", 0, request.path("lastAckedSeq").asLong(-1));
        assertTrue("startedAt", request.path("startedAt").isIntegralNumber());
        assertTrue("software.bundles lists the transport bundle: " + request.path("software"),
                bundleNames(request).contains("site.gateway.transport"));

        // 2. The WebSocket session (§3): wms.v1, hello first, status first after welcome.
        SessionRecord session = wms.awaitSession(GATEWAY, WAIT);
        long sessionMs = elapsedMs(t0);
        assertEquals("wms.v1", session.subprotocol());
        assertEquals("the session of the registration", registration.sessionId(), session.sessionId());
        wms.await("status after hello", () -> gatewayMessages(wms).size() >= 2, WAIT);
        List<ReceivedMessage> opening = gatewayMessages(wms);
        assertEquals("first message of the session", "hello", opening.get(0).type());
        assertEquals("hello carries the registered sessionId", registration.sessionId(), opening.get(0).json().path("sessionId").asText());
        assertEquals("first message after welcome", "status", opening.get(1).type());

        // 3. Heartbeats (§3.4) at the WMS's interval (1 s, given at registration), every metric, the PLC listed.
        ReceivedMessage heartbeat = wms.awaitNonDurable("heartbeat",
                m -> plcStatus(m, PLC).equals("connected"), Instant.EPOCH, WAIT);
        assertHeartbeat(heartbeat.json(), wms.baseUrl());
        Instant firstHeartbeat = wms.receivedNonDurable("heartbeat").get(0).receivedAt();
        // At the 10 s default, 4 heartbeats would take 30 s and more: the wait itself tells the interval apart
        // (the heartbeat bundle's tests check the interval); the mean gap is printed with the figures below.
        wms.await("4 heartbeats", () -> wms.receivedNonDurable("heartbeat").size() >= 4, WAIT);
        List<ReceivedMessage> heartbeats = wms.receivedNonDurable("heartbeat");
        long meanGapMs = Duration.between(firstHeartbeat, heartbeats.get(heartbeats.size() - 1).receivedAt()).toMillis()
                / (heartbeats.size() - 1);
        heartbeats.forEach(h -> assertHeartbeat(h.json(), wms.baseUrl()));
        wms.awaitNonDurable("heartbeat", m -> "operational".equals(m.path("status").asText()), Instant.EPOCH, WAIT);

        // 4. Telemetry (§3.2) from the PLC, stored in seq order and acknowledged (§3.3).
        wms.await("10 telemetry messages from " + PLC, () -> telemetry(wms).size() >= 10, WAIT);
        long telemetryMs = elapsedMs(t0);
        for (ReceivedMessage message : telemetry(wms)) {
            assertTelemetry(message.json());
        }
        wms.awaitLastReceivedSeq(GATEWAY, 25, WAIT);
        Instant acknowledgedBefore = Instant.now();
        long receivedThen = wms.lastReceivedSeq(GATEWAY);
        // Unacknowledged messages would pile up in the outbox (5 a second); acknowledged ones leave it.
        ReceivedMessage drained = wms.awaitNonDurable("heartbeat",
                m -> m.path("metrics").path("bufferedMessages").asLong(Long.MAX_VALUE) <= 10, acknowledgedBefore, WAIT);
        assertTrue("outbox drained by the acks: " + drained.json().path("metrics") + " while the WMS had " + receivedThen,
                drained.json().path("metrics").path("bufferedMessages").asLong() < receivedThen);

        // 5. Signed commands (§3.6): a move, then a query that reads what it wrote.
        long commandStart = System.nanoTime();
        JsonNode move = execute(wms, wms.newCommand(PLC, "move", payload("{\"writes\":[{\"tag\":\"" + TARGET + "\",\"value\":42}]}")));
        JsonNode written = move.path("result").path("written");
        assertEquals("written " + written, List.of(TARGET), tags(written));
        assertEquals(42, written.get(0).path("value").asInt());
        JsonNode query = execute(wms, wms.newCommand(PLC, "query", payload("{\"reads\":[\"" + SPEED + "\",\"" + TARGET + "\"]}")));
        JsonNode values = query.path("result").path("values");
        assertEquals("values read " + query, List.of(SPEED, TARGET), tags(values).stream().sorted().toList());
        for (JsonNode value : values) {
            // The simulated RANDOM REAL tag is random bits: about 1 read in 256 is NaN, which is bad with no number.
            boolean nonFinite = SPEED.equals(value.path("tag").asText()) && "bad".equals(value.path("quality").asText())
                    && value.path("value").isNull();
            assertTrue("quality of " + value, nonFinite || "good".equals(value.path("quality").asText()));
            assertTrue("read value " + value, nonFinite || value.path("value").isNumber());
            if (TARGET.equals(value.path("tag").asText())) {
                assertEquals("the query reads what the move wrote: " + value, 42, value.path("value").asInt());
            }
        }
        long commandsMs = (System.nanoTime() - commandStart) / 1_000_000;

        // 6. A tampered command: the signature no longer covers the payload.
        ObjectNode tampered = wms.commandSigner().sign(
                wms.newCommand(PLC, "move", payload("{\"writes\":[{\"tag\":\"" + TARGET + "\",\"value\":43}]}")));
        ((ObjectNode) tampered.get("payload").get("writes").get(0)).put("value", 99);
        String tamperedId = tampered.get("commandId").asText();
        wms.sendCommand(tampered);
        JsonNode refused = wms.awaitCommandAck(tamperedId, WAIT);
        assertFalse("tampered command refused: " + refused, refused.path("accepted").asBoolean(true));
        assertEquals("bad-signature", refused.path("reason").asText());
        ReceivedMessage alert = awaitDurable(wms, "command.rejected alert for " + tamperedId, m -> "alert".equals(m.type())
                && "command.rejected".equals(m.json().path("code").asText()) && tamperedId.equals(m.json().path("commandId").asText()));
        assertEquals("warning", alert.json().path("severity").asText());
        assertEquals("bad-signature", alert.json().path("reason").asText());

        JsonNode after = execute(wms, wms.newCommand(PLC, "query", payload("{\"reads\":[\"" + TARGET + "\"]}")));
        assertEquals("the PLC holds the signed move, not the tampered value: " + after,
                42, after.path("result").path("values").get(0).path("value").asInt());
        awaitDurable(wms, "telemetry with " + TARGET + " = 42", m -> "telemetry".equals(m.type())
                && readings(m.json()).stream().anyMatch(r -> TARGET.equals(r.path("tag").asText()) && r.path("value").asInt() == 42));

        // 7. SIGTERM: status shutting-down, close 1001, exit 0 (the bound only catches a hang; the time is printed).
        Instant sigterm = Instant.now();
        long stopStart = System.nanoTime();
        gateway.process().destroy();
        wms.awaitNonDurable("status", m -> "shutting-down".equals(m.path("state").asText()), sigterm, WAIT);
        wms.await("the session closed", () -> wms.openSession(GATEWAY) == null, WAIT);
        long left = STOP.toNanos() - (System.nanoTime() - stopStart);
        assertTrue("the gateway exits within " + STOP + " of SIGTERM", gateway.process().waitFor(Math.max(0, left), TimeUnit.NANOSECONDS));
        long stopMs = (System.nanoTime() - stopStart) / 1_000_000;
        assertEquals("exit code after SIGTERM", 0, gateway.process().exitValue());
        List<SessionRecord> sessions = sessionsOf(wms);
        SessionRecord last = sessions.get(sessions.size() - 1);
        assertEquals("closed by the gateway going away: " + last, 1001, last.closeCode());

        // 8. Across the whole run.
        assertTrue("protocol violations: " + wms.protocolViolations(), wms.protocolViolations().isEmpty());
        // Every reading carries a value of a kind §3.2 allows, so a strict WMS rejects nothing.
        assertTrue("rejected by the WMS: " + wms.rejections(), wms.rejections().isEmpty());
        // Commands of one PLC run in order: had the tampered one been queued, its result would precede the last query's.
        assertTrue("the tampered command never produced a result", wms.receivedDurable(GATEWAY).stream()
                .noneMatch(m -> "command.result".equals(m.type()) && tamperedId.equals(m.json().path("commandId").asText())));
        assertTrue("nothing announced as dropped", wms.droppedRanges(GATEWAY).isEmpty());
        assertContiguousAndInArrivalOrder(wms.receivedDurable(GATEWAY));
        for (TlsObservation tls : wms.tlsObservations()) {
            assertEquals("TLS protocol of " + tls.path(), "TLSv1.3", tls.protocol());
            assertEquals("client certificate on " + tls.path(), pki.gatewayCertificate().serial(), tls.clientCertificateSerial());
        }
        assertTrue("registration seen over TLS", wms.tlsObservations().stream()
                .anyMatch(o -> o.path().equals("/api/v1/gateways/register")));

        String log = gateway.log();
        System.out.printf("EndToEndIT: registered %d ms, session %d ms, 10 telemetry %d ms after start; "
                        + "3 commands executed in %d ms; heartbeats %d ms apart; stopped %d ms after SIGTERM; %d sessions, %d registrations, "
                        + "%d durable stored (lastReceivedSeq %d, %d rejected by the sandbox), %d heartbeats; ERROR lines in gateway.log: %d%n",
                registeredMs, sessionMs, telemetryMs, commandsMs, meanGapMs, stopMs, sessions.size(), wms.registrationCount(),
                wms.storedCount(GATEWAY), wms.lastReceivedSeq(GATEWAY), wms.rejections().size(), wms.receivedNonDurable("heartbeat").size(),
                log.lines().filter(l -> l.contains(" ERROR ")).count());
        log.lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).limit(40)
                .forEach(l -> System.out.println("EndToEndIT gateway.log: " + l));
    }

    /** Sends a signed command; asserts the ack accepted and the durable result succeeded; returns the result. */
    private static JsonNode execute(WmsSandbox wms, ObjectNode command) {
        String id = wms.sendCommand(command).get("commandId").asText();
        JsonNode ack = wms.awaitCommandAck(id, WAIT);
        assertTrue("command " + command.get("kind") + " accepted: " + ack, ack.path("accepted").asBoolean(false));
        ReceivedMessage result = wms.awaitCommandResult(GATEWAY, id, WAIT);
        JsonNode json = result.json();
        assertTrue("command.result is durable (has a seq)", result.seq() > 0);
        assertEquals("command.result " + json, "succeeded", json.path("status").asText());
        assertEquals(PLC, json.path("plcId").asText());
        assertEquals(TENANT, json.path("tenantId").asText());
        assertEquals(GATEWAY, json.path("gatewayId").asText());
        assertTrue("completedAt", json.path("completedAt").isIntegralNumber());
        return json;
    }

    private static void assertHeartbeat(JsonNode heartbeat, String endpoint) {
        assertTrue("ts " + heartbeat, heartbeat.path("ts").isIntegralNumber());
        assertTrue("status " + heartbeat, List.of("operational", "degraded").contains(heartbeat.path("status").asText()));
        assertEquals("endpoint in use", endpoint, heartbeat.path("endpoint").asText());
        JsonNode metrics = heartbeat.path("metrics");
        for (String field : METRICS) {
            assertTrue("metrics." + field + " in " + metrics, metrics.path(field).isNumber());
            assertTrue("metrics." + field + " >= 0", metrics.path(field).asDouble() >= 0);
        }
        assertTrue("cpuPercent <= 100", metrics.path("cpuPercent").asDouble() <= 100);
        assertTrue("processCpuPercent <= 100", metrics.path("processCpuPercent").asDouble() <= 100);
        assertTrue("memoryUsedBytes > 0", metrics.path("memoryUsedBytes").asLong() > 0);
        assertTrue("heap used <= max", metrics.path("memoryUsedBytes").asLong() <= metrics.path("memoryMaxBytes").asLong());
        assertTrue("rssBytes from /proc (Linux)", metrics.path("rssBytes").asLong() > 0);
        assertTrue("connected since", metrics.path("connectedSinceTs").asLong() > 0);
        assertTrue("plcs is a list", metrics.path("plcs").isArray());
    }

    private static void assertTelemetry(JsonNode telemetry) {
        assertEquals(TENANT, telemetry.path("tenantId").asText());
        assertEquals(GATEWAY, telemetry.path("gatewayId").asText());
        assertTrue("ts", telemetry.path("ts").isIntegralNumber());
        List<JsonNode> readings = readings(telemetry);
        // A tag never read good (the STATE tag before a command writes it, a NaN) is left out: docs/plc.md.
        assertFalse("readings of " + telemetry, readings.isEmpty());
        assertTrue("readings of " + telemetry, List.of(SPEED, TARGET).containsAll(
                readings.stream().map(r -> r.path("tag").asText()).toList()));
        for (JsonNode reading : readings) {
            assertTrue("ts of " + reading, reading.path("ts").isIntegralNumber());
            assertTrue("quality of " + reading, List.of("good", "bad").contains(reading.path("quality").asText()));
            assertTrue("a finite number as value (§3.2): " + reading, reading.path("value").isNumber());
        }
    }

    /** Seqs 1..n without gaps, and each first arrived after the one before it. */
    private static void assertContiguousAndInArrivalOrder(List<ReceivedMessage> durable) {
        assertFalse("durable messages", durable.isEmpty());
        Instant previous = Instant.EPOCH;
        for (int i = 0; i < durable.size(); i++) {
            ReceivedMessage message = durable.get(i);
            assertEquals("seq without gaps", i + 1, message.seq());
            assertFalse("seq " + message.seq() + " arrived before seq " + (message.seq() - 1), message.receivedAt().isBefore(previous));
            previous = message.receivedAt();
        }
    }

    // --- observations ----------------------------------------------------------------------------

    private static List<ReceivedMessage> telemetry(WmsSandbox wms) {
        return wms.receivedDurable(GATEWAY).stream()
                .filter(m -> "telemetry".equals(m.type()) && PLC.equals(m.json().path("plcId").asText())).toList();
    }

    private static ReceivedMessage awaitDurable(WmsSandbox wms, String what, java.util.function.Predicate<ReceivedMessage> match) {
        wms.await(what, () -> wms.receivedDurable(GATEWAY).stream().anyMatch(match), WAIT);
        return wms.receivedDurable(GATEWAY).stream().filter(match).findFirst().orElseThrow();
    }

    private static List<ReceivedMessage> gatewayMessages(WmsSandbox wms) {
        return wms.receivedNonDurable().stream().filter(m -> GATEWAY.equals(m.gatewayId())).toList();
    }

    private static List<SessionRecord> sessionsOf(WmsSandbox wms) {
        return wms.sessions().stream().filter(s -> GATEWAY.equals(s.gatewayId())).toList();
    }

    private static String plcStatus(JsonNode heartbeat, String plcId) {
        for (JsonNode plc : heartbeat.path("metrics").path("plcs")) {
            if (plcId.equals(plc.path("plcId").asText())) {
                return plc.path("status").asText();
            }
        }
        return "";
    }

    private static List<JsonNode> readings(JsonNode telemetry) {
        List<JsonNode> readings = new ArrayList<>();
        telemetry.path("readings").forEach(readings::add);
        return readings;
    }

    private static List<String> tags(JsonNode entries) {
        List<String> tags = new ArrayList<>();
        entries.forEach(e -> tags.add(e.path("tag").asText()));
        return tags;
    }

    private static List<String> bundleNames(JsonNode registerRequest) {
        List<String> names = new ArrayList<>();
        registerRequest.path("software").path("bundles").forEach(b -> names.add(b.path("symbolicName").asText()));
        return names;
    }

    private static JsonNode payload(String json) throws IOException {
        return JSON.readTree(json);
    }

    // --- housekeeping ----------------------------------------------------------------------------

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
    }

    private static String sandboxView(WmsSandbox wms) {
        StringBuilder view = new StringBuilder();
        for (site.gateway.sandbox.Route route : site.gateway.sandbox.Route.values()) {
            view.append(route).append('=').append(wms.requestCount(route)).append(' ');
        }
        view.append("\nTLS: ").append(wms.tlsObservations().stream().map(o -> o.at() + " " + o.path() + " " + o.protocol())
                .collect(Collectors.joining(", ")));
        view.append("\nsessions: ").append(wms.sessions());
        List<ReceivedMessage> nonDurable = wms.receivedNonDurable();
        view.append("\nnon-durable (").append(nonDurable.size()).append("): ").append(nonDurable.stream().limit(10)
                .map(m -> m.type() + "@" + m.receivedAt()).collect(Collectors.joining(", ")));
        nonDurable.stream().filter(m -> m.type().equals("heartbeat")).reduce((first, second) -> second)
                .ifPresent(m -> view.append("\nlast heartbeat (").append(m.receivedAt()).append("): ").append(m.json()));
        view.append("\ndurable: ").append(wms.receivedDurable(GATEWAY).stream()
                .map(m -> m.type() + "#" + m.seq() + "@" + m.receivedAt()).collect(Collectors.joining(", ")));
        view.append("\nlastReceivedSeq ").append(wms.lastReceivedSeq(GATEWAY)).append(", violations ").append(wms.protocolViolations());
        return view.toString();
    }

    /** A thread dump of the still running gateway (jcmd of the JDK running the test), for a failure's report. */
    private static void threadDump(ProvisionedGateway gateway) {
        if (!gateway.process().isAlive()) {
            return;
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Path out = Files.createDirectories(Path.of("target/failsafe-reports")).resolve("EndToEndIT-threads.txt");
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(gateway.process().pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            dump.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("EndToEndIT: no thread dump: " + e);
        }
    }

    /** The gateway's log next to the test reports, for a look after a failure. */
    private static void keepLog(ProvisionedGateway gateway) {
        try {
            Path log = gateway.home().resolve("logs/gateway.log");
            if (Files.exists(log)) {
                Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
                Files.copy(log, reports.resolve("EndToEndIT-gateway.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            Path console = gateway.home().resolve("console.out");
            if (Files.exists(console)) {
                Files.copy(console, Path.of("target/failsafe-reports/EndToEndIT-console.out"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("EndToEndIT: could not keep the gateway log: " + e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("EndToEndIT: could not delete " + folder + ": " + e);
        }
    }
}
