package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.gateway.sandbox.jcs.Jcs;
import site.gateway.sandbox.pki.PemIo;
import site.gateway.sandbox.pki.PkiFiles;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The §3 WebSocket session over real TLS 1.3 on loopback, with a Jetty 12 client. */
class WmsSandboxWebSocketTest extends SandboxFixture {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Registers, connects with deflate, exchanges hello/welcome/status. */
    private TestGateway.Conversation session(long lastAcked, long nextSeq, long expectedWelcome) throws Exception {
        JsonNode registration = gateway.register(wms, "acme", "gw-01");
        TestGateway.Conversation c = gateway.connect(wms.websocketUrl("gw-01"), registration.get("token").asText(), true);
        c.send(Messages.hello(registration.get("sessionId").asText(), lastAcked, nextSeq));
        assertThat(c.next("welcome").get("lastReceivedSeq").asLong()).isEqualTo(expectedWelcome);
        c.send(Messages.status());
        return c;
    }

    @Test
    void helloWelcomeAcksDedupAndDropped() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation c = session(0, 1, 0);
        assertThat(wms.awaitSession("gw-01", WAIT).extensions()).contains("permessage-deflate");
        assertThat(wms.openSession("gw-01").subprotocol()).isEqualTo("wms.v1");

        c.send(Messages.batch(1, 3));
        assertThat(c.ackAtLeast(3).get("upTo").asLong()).isEqualTo(3);

        c.send(Messages.batch(2, 4)); // 2 and 3 again: stored once, and noted as out of order in one session
        assertThat(c.ackAtLeast(4).get("upTo").asLong()).isEqualTo(4);
        assertThat(wms.duplicateCount("gw-01")).isEqualTo(2);
        assertThat(wms.protocolViolations()).hasSize(2).allMatch(v -> v.contains("in the same session"));
        assertThat(wms.receivedDurable("gw-01")).extracting(ReceivedMessage::seq).containsExactly(1L, 2L, 3L, 4L);

        c.send(Messages.telemetry(6)); // gap at 5: the ack cannot pass it
        JsonNode ack = c.next("ack");
        assertThat(ack.get("upTo").asLong()).isEqualTo(4);
        c.send("{\"type\":\"dropped\",\"ranges\":[[5,5]]}");
        assertThat(c.ackAtLeast(6).get("upTo").asLong()).isEqualTo(6);
        assertThat(wms.droppedRanges("gw-01")).containsExactly(new long[] {5, 5});
        assertThat(wms.receivedNonDurable("dropped")).hasSize(1);
        assertThat(wms.receivedNonDurable("status")).hasSize(1);
        assertThat(wms.protocolViolations()).hasSize(2);

        // After a reconnect, welcome reports what is stored.
        c.session.close();
        await().atMost(WAIT).until(() -> wms.openSession("gw-01") == null);
        session(6, 7, 6);
    }

    @Test
    void invalidContentIsAcknowledgedButRejectedAndGarbageDoesNotStopTheSession() throws Exception {
        start(WmsSandbox.builder(pki).ackDelay(Duration.ZERO));
        TestGateway.Conversation c = session(0, 1, 0);
        String bad = Messages.telemetry(1).replace("\"good\"", "\"excellent\"");
        c.send(bad);
        JsonNode error = c.next("error");
        assertThat(error.get("code").asText()).isEqualTo("rejected");
        assertThat(error.get("seq").asLong()).isEqualTo(1);
        assertThat(c.ackAtLeast(1).get("upTo").asLong()).isEqualTo(1);
        assertThat(wms.rejections()).extracting(Rejection::seq).containsExactly(1L);

        c.send("{not json");
        assertThat(c.next("error").get("code").asText()).isEqualTo("invalid-message");
        c.send("{\"type\":\"heartbeat\",\"ts\":1}");
        assertThat(c.next("error").get("message").asText()).contains("heartbeat");
        c.send(Messages.heartbeat());
        c.send("{\"type\":\"error\",\"code\":\"invalid-command\",\"message\":\"no commandId\"}"); // gateways may answer with error
        c.send(Messages.telemetry(2));
        assertThat(c.ackAtLeast(2).get("upTo").asLong()).isEqualTo(2);
        assertThat(wms.protocolViolations()).hasSize(2);
        assertThat(wms.receivedNonDurable("heartbeat")).hasSize(2);
        assertThat(wms.receivedNonDurable("error")).hasSize(1);
    }

    @Test
    void sendsHeartbeatsAtTheConfiguredInterval() throws Exception {
        start(WmsSandbox.builder(pki).heartbeatIntervalSeconds(1));
        TestGateway.Conversation c = session(0, 1, 0);
        JsonNode first = c.next("heartbeat");
        JsonNode second = c.next("heartbeat");
        assertThat(second.get("ts").asLong() - first.get("ts").asLong()).isBetween(700L, 1500L);
    }

    @Test
    void upgradeWithoutAValidTokenGets401() throws Exception {
        start(WmsSandbox.builder(pki));
        gateway.register(wms, "acme", "gw-01");
        assertThatThrownBy(() -> gateway.connect(wms.websocketUrl("gw-01"), "not-a-token", false))
                .isInstanceOfSatisfying(UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(401));
        assertThatThrownBy(() -> gateway.connect(wms.websocketUrl("gw-01"), null, false))
                .isInstanceOfSatisfying(UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(401));
        String valid = gateway.register(wms, "acme", "gw-01").get("token").asText();
        assertThatThrownBy(() -> gateway.connect(wms.websocketUrl("gw-01"), valid, false, new String[0]))
                .isInstanceOfSatisfying(UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(400));
        assertThat(wms.protocolViolations()).anyMatch(v -> v.contains("subprotocol"));
        wms.refuse(503, 2, Route.WEBSOCKET);
        String token = gateway.register(wms, "acme", "gw-01").get("token").asText();
        assertThatThrownBy(() -> gateway.connect(wms.websocketUrl("gw-01"), token, false))
                .isInstanceOfSatisfying(UpgradeException.class, e -> assertThat(e.getResponseStatusCode()).isEqualTo(503));
    }

    @Test
    void signedCommandVerifiesWithThePublicKeyFile(@TempDir Path dir) throws Exception {
        start(WmsSandbox.builder(pki));
        PkiFiles files = pki.writeTo(dir);
        PublicKey publicKey = PemIo.readPublicKey(files.commandPublicKey(), "Ed25519");
        TestGateway.Conversation c = session(0, 1, 0);

        ObjectNode payload = TestGateway.MAPPER.createObjectNode();
        payload.putArray("writes").addObject().put("tag", "conveyor1.target").put("value", 12.50);
        ObjectNode sent = wms.sendCommand(wms.newCommand("plc-1", "move", payload));
        JsonNode received = c.next("command");

        assertThat(received).isEqualTo(sent);
        assertThat(received.get("kid").asText()).isEqualTo("wms-cmd-1");
        assertThat(received.get("sig").asText()).doesNotContain("=").doesNotContain("+").doesNotContain("/");
        assertThat(CommandSigner.verify(received, publicKey)).isTrue();

        // Independent check: Ed25519 over the JCS form without "sig".
        ObjectNode unsigned = (ObjectNode) received.deepCopy();
        unsigned.remove("sig");
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(Jcs.canonicalizeToUtf8(unsigned));
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(received.get("sig").asText()))).isTrue();
        assertThat(Jcs.canonicalize(unsigned)).contains("\"value\":12.5");

        ObjectNode tampered = (ObjectNode) received.deepCopy();
        tampered.put("plcId", "plc-2");
        assertThat(CommandSigner.verify(tampered, publicKey)).isFalse();
        ObjectNode padded = (ObjectNode) received.deepCopy();
        padded.put("sig", received.get("sig").asText() + "==");
        assertThat(CommandSigner.verify(padded, publicKey)).isTrue();

        // A command with a sig is sent as it is.
        wms.sendCommand(tampered);
        assertThat(c.next("command").get("plcId").asText()).isEqualTo("plc-2");

        c.send("{\"type\":\"command.ack\",\"commandId\":\"" + sent.get("commandId").asText() + "\",\"accepted\":true}");
        assertThat(wms.awaitCommandAck(sent.get("commandId").asText(), WAIT).get("accepted").asBoolean()).isTrue();
    }

    @Test
    void oversizedFrameIsClosedWith1009() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation c = session(0, 1, 0);
        String big = Messages.telemetry(1).replace("\"plc-1\"", "\"" + "x".repeat(WmsSandbox.MAX_MESSAGE_BYTES + 10) + "\"");
        c.send(big);
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void fullBatchInOneFrameIsAcceptedAndInflatedOversizeIsClosedWith1009() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation c = session(0, 1, 0);
        String batch = Messages.batch(1, 1000);
        assertThat(batch.length()).isGreaterThan(150_000);
        c.send(batch);
        assertThat(c.ackAtLeast(1000).get("upTo").asLong()).isEqualTo(1000);

        // Compresses to a few kB with permessage-deflate, but is over 1 MiB once inflated.
        c.send("{\"type\":\"padding\",\"data\":\"" + "a".repeat(WmsSandbox.MAX_MESSAGE_BYTES) + "\"}");
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void canSendOversizedFramesToTheGateway() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation c = session(0, 1, 0);
        wms.sendOversizedFrame("gw-01", 2 * WmsSandbox.MAX_MESSAGE_BYTES);
        // The test client keeps Jetty's default 64 kB limit, so it closes with 1009 as a gateway would.
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        await().atMost(WAIT).until(() -> wms.sessions().get(0).closeCode() == 1009);
    }

    @Test
    void closeCodesAndSupersededSessions() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation first = session(0, 1, 0);
        TestGateway.Conversation second = session(0, 1, 0);
        assertThat(first.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4409);
        wms.closeSessions(4401, "test");
        assertThat(second.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        await().atMost(WAIT).until(() -> wms.openSessionCount() == 0);
        assertThat(wms.sessions()).extracting(SessionRecord::closeCode).containsExactly(4409, 4401);
    }

    @Test
    void sessionIsClosedWith4401WhenItsTokenRunsOutButARefreshKeepsIt() throws Exception {
        // Each refresh is made while the previous token has 2.5 s left: time enough on a busy machine.
        start(WmsSandbox.builder(pki).tokenLifetime(Duration.ofMillis(4000)));
        JsonNode registration = gateway.register(wms, "acme", "gw-01");
        TestGateway.Conversation kept = gateway.connect(wms.websocketUrl("gw-01"), registration.get("token").asText(), false);
        // Refresh twice, each before the previous token expires: the session outlives the first token.
        String token = registration.get("token").asText();
        long end = registration.get("tokenExpiresAt").asLong() + 1000;
        while (System.currentTimeMillis() < end) {
            JsonNode fresh = TestGateway.MAPPER.readTree(gateway.post(wms.baseUrl() + "/api/v1/gateways/gw-01/token", token,
                    "application/json", "{}").body());
            token = fresh.get("token").asText();
            assertThat(kept.closeCode.isDone()).isFalse();
            await().atMost(WAIT).until(() -> fresh.get("tokenExpiresAt").asLong() - System.currentTimeMillis() < 2500);
        }
        assertThat(kept.closeCode.isDone()).isFalse();
        assertThat(kept.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(4401);
    }

    @Test
    void stopAckingAndSilentMode() throws Exception {
        start(WmsSandbox.builder(pki).ackDelay(Duration.ZERO).heartbeatIntervalSeconds(1));
        TestGateway.Conversation c = session(0, 1, 0);
        wms.setAcking(false);
        c.send(Messages.telemetry(1));
        wms.awaitDurable("gw-01", 1, WAIT);
        assertThat(c.received.stream().anyMatch(m -> "ack".equals(m.path("type").asText()))).isFalse();
        wms.setAcking(true);
        assertThat(c.ackAtLeast(1).get("upTo").asLong()).isEqualTo(1);

        wms.setSilent(true);
        c.received.clear();
        c.session.sendPing(ByteBuffer.wrap(new byte[] {1}), org.eclipse.jetty.websocket.api.Callback.NOOP);
        c.send(Messages.telemetry(2));
        // Nothing at all comes back for more than a heartbeat interval: no pong, no heartbeat, no ack.
        assertThat(c.pongs.poll(2500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(c.received).isEmpty();
        assertThat(wms.receivedDurable("gw-01", 2)).isNull();

        wms.setSilent(false);
        assertThat(c.pongs.poll(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.ackAtLeast(2).get("upTo").asLong()).isEqualTo(2);
    }

    @Test
    void reregisterAndDroppedConnections() throws Exception {
        start(WmsSandbox.builder(pki));
        TestGateway.Conversation c = session(0, 1, 0);
        wms.sendReregister();
        assertThat(c.next("reregister")).isNotNull();
        wms.sendRaw("gw-01", "{\"type\":\"error\",\"code\":\"test\",\"message\":\"raw\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("test");
        wms.dropConnections();
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isNotIn(1000, 1001);
    }

    @Test
    void nodesOfOneWmsShareState() throws Exception {
        start(WmsSandbox.builder(pki));
        try (WmsSandbox second = WmsSandbox.builder(pki).sharedWith(wms).start()) {
            TestGateway.Conversation c = session(0, 1, 0);
            c.send(Messages.batch(1, 5));
            c.ackAtLeast(5);
            c.session.close();

            JsonNode registration = TestGateway.MAPPER.readTree(gateway.post(second.baseUrl() + "/api/v1/gateways/register", null,
                    "application/json", TestGateway.registerBody("acme", "gw-01", 1)).body());
            assertThat(registration.get("lastReceivedSeq").asLong()).isEqualTo(5);
            assertThat(registration.get("websocketUrl").asText()).contains(":" + second.port() + "/");
            TestGateway.Conversation onSecond = gateway.connect(second.websocketUrl("gw-01"), registration.get("token").asText(), false);
            onSecond.send(Messages.hello(registration.get("sessionId").asText(), 5, 6));
            assertThat(onSecond.next("welcome").get("lastReceivedSeq").asLong()).isEqualTo(5);
            assertThat(wms.registrationCount()).isEqualTo(2);
            assertThat(second.openSessionCount()).isEqualTo(1);
            assertThat(wms.openSessionCount()).isZero();
        }
    }
}
