package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** Commands, errors, dropped announcements, listeners and the orderly shutdown. */
class SessionMessagesTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void commandsWithoutHandlerAreRefusedAsUnsupported() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            ObjectNode payload = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            payload.putArray("writes").addObject().put("tag", "t").put("value", 1);
            ObjectNode command = wms.sendCommand(wms.newCommand("plc-1", "move", payload));
            JsonNode ack = wms.awaitCommandAck(command.path("commandId").asText(), Duration.ofSeconds(30));
            assertThat(ack.path("accepted").asBoolean()).isFalse();
            assertThat(ack.path("reason").asText()).isEqualTo("unsupported-kind");

            Instant before = Instant.now();
            wms.sendRaw(TestGateway.GATEWAY, "{\"type\":\"command\",\"kind\":\"move\"}");
            ReceivedMessage error = wms.awaitNonDurable("error", n -> "invalid-command".equals(n.path("code").asText()),
                    before, Duration.ofSeconds(30));
            assertThat(error).isNotNull();
        }
    }

    @Test
    void commandsGoToTheHandlerAndItsReplyIsSent() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.env.commandHandler = json -> "{\"type\":\"command.ack\",\"commandId\":\"" + json.replaceAll(".*\"commandId\":\"([^\"]+)\".*", "$1")
                    + "\",\"accepted\":true}";
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            ObjectNode command = wms.sendCommand(wms.newCommand("plc-1", "query",
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("reads",
                            new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("t"))));
            JsonNode ack = wms.awaitCommandAck(command.path("commandId").asText(), Duration.ofSeconds(30));
            assertThat(ack.path("accepted").asBoolean()).isTrue();
        }
    }

    @Test
    void rejectedMessagesAreAuditedAndDoNotBlockTheQueue() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            gw.outbox().append(MessageType.TELEMETRY, ("{\"type\":\"telemetry\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\"}")
                    .getBytes(StandardCharsets.UTF_8)); // no plcId, no readings
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 4, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audited("message.rejected", "rejected") == 1);
            assertThat(gw.env.audits).anyMatch(a -> a.action().equals("message.rejected") && a.target().equals("seq 1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);
        }
    }

    @Test
    void droppedRangesAreAnnouncedWhileConnected() throws Exception {
        InMemoryOutbox small = new InMemoryOutbox(5);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(small, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            wms.setAcking(false);
            wms.setSilent(true); // nothing is read: the buffer fills and drops its oldest
            gw.append(12);
            await().atMost(Duration.ofSeconds(30)).until(() -> !small.droppedRanges().isEmpty());
            wms.setSilent(false);
            wms.setAcking(true);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 12, Duration.ofSeconds(30));
            assertThat(wms.receivedNonDurable("dropped")).isNotEmpty();
        }
    }

    @Test
    void listenersHearConnectionsAndHeartbeatsAndShutdownSaysGoingAway() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
            java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            TestGateway gw = TestGateway.start(wms);
            gw.env.listeners.add(new WmsSessionListener() {
                @Override
                public void connected(SessionInfo info) {
                    events.add("connected " + info.sessionId());
                }

                @Override
                public void disconnected(SessionInfo info, String reason) {
                    events.add("disconnected");
                }

                @Override
                public void wmsHeartbeat(long ts) {
                    events.add("heartbeat");
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("heartbeat"));
            assertThat(gw.engine.info().lastWmsHeartbeatTs()).isGreaterThan(0); // read by the heartbeat bundle
            assertThat(gw.engine.send("{\"type\":\"heartbeat\",\"ts\":1}")).isTrue();
            wms.closeSessions(1001, "going away");
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().filter(e -> e.startsWith("connected")).count() >= 1
                    && events.contains("disconnected") && wms.openSession(TestGateway.GATEWAY) != null
                    && gw.engine.phase() == Phase.CONNECTED);
            assertThat(gw.env.audited("wms.session", "opened")).as("each session opened, audited").isGreaterThanOrEqualTo(2);
            assertThat(gw.env.audited("wms.session", "closed")).isGreaterThanOrEqualTo(1);
            Instant before = Instant.now();
            gw.close();
            ReceivedMessage last = wms.awaitNonDurable("status", n -> "shutting-down".equals(n.path("state").asText()),
                    before, Duration.ofSeconds(30));
            assertThat(last).isNotNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.openSession(TestGateway.GATEWAY) == null);
            assertThat(wms.sessions().get(wms.sessions().size() - 1).closeCode()).isEqualTo(1001);
            assertThat(gw.engine.send("{\"type\":\"heartbeat\",\"ts\":2}")).isFalse();
        }
    }

    @Test
    void aMessageTooLargeForAnyFrameIsAnnouncedAsDroppedAndDoesNotBlockTheQueue() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            gw.append(2);
            String huge = "{\"type\":\"alert\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\",\"severity\":\"warning\","
                    + "\"code\":\"x\",\"message\":\"" + "y".repeat(1_200_000) + "\",\"ts\":1}";
            gw.outbox().append(MessageType.ALERT, huge.getBytes(StandardCharsets.UTF_8));
            gw.append(2);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(30));
            assertThat(wms.receivedDurable(TestGateway.GATEWAY, 3)).isNull();
            assertThat(wms.receivedDurable(TestGateway.GATEWAY, 5)).isNotNull();
            assertThat(gw.env.audited("message.oversized", "dropped")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);
        }
    }
}
