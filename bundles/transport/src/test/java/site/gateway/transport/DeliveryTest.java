package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.SessionState;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** Normal operation over real TLS 1.3 on loopback against the WMS sandbox. */
class DeliveryTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @AfterAll
    static void done() {
        pki = null;
    }

    /** §3.1: hello counts only what is on disk, so pending never exceeds the seqs below nextSeq. */
    @Test
    void helloCountsOnlyDurableMessages() throws Exception {
        InMemoryOutbox outbox = new InMemoryOutbox();
        for (int i = 0; i < 3; i++) {
            outbox.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, i);
        }
        outbox.holdDurability();
        for (int i = 0; i < 5; i++) {
            outbox.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, i);
        }
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
                TestGateway gw = TestGateway.start(outbox, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
            ReceivedMessage hello = wms.receivedNonDurable().get(0);
            assertThat(hello.type()).isEqualTo("hello");
            assertThat(hello.json().path("nextSeq").asLong()).isEqualTo(4);
            assertThat(hello.json().path("pending").asLong()).isEqualTo(3);
            outbox.releaseDurability();
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 8, Duration.ofSeconds(30));
            assertThat(wms.protocolViolations()).isEmpty();
        }
    }

    @Test
    void deliversInSeqOrderAndRemovesOnlyWhatIsAcknowledged() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start();
                TestGateway gw = TestGateway.start(wms)) {
            gw.append(2500);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 2500, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);
            assertThat(gw.outbox().lastAckedSeq()).isEqualTo(2500);
            List<ReceivedMessage> stored = wms.receivedDurable(TestGateway.GATEWAY);
            assertThat(stored).hasSize(2500);
            assertThat(stored.get(0).seq()).isEqualTo(1);
            assertThat(stored.get(2499).seq()).isEqualTo(2500);

            // §3.1: hello, then status first after welcome; subprotocol and deflate negotiated.
            List<ReceivedMessage> nonDurable = wms.receivedNonDurable();
            assertThat(nonDurable.get(0).type()).isEqualTo("hello");
            assertThat(nonDurable.get(1).type()).isEqualTo("status");
            assertThat(nonDurable.get(0).json().path("nextSeq").asLong()).isEqualTo(2501);
            assertThat(nonDurable.get(0).json().path("pending").asLong()).isEqualTo(2500);
            SessionRecord session = wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            assertThat(session.subprotocol()).isEqualTo("wms.v1");
            assertThat(session.extensions()).contains("permessage-deflate");
            assertThat(gw.engine.linkForTest().deflate()).isTrue();
            assertThat(gw.engine.info().state()).isEqualTo(SessionState.CONNECTED);
            assertThat(gw.engine.info().sessionId()).isEqualTo(session.sessionId());

            // A status change is sent at once; a non-durable send goes out while connected.
            long before = System.currentTimeMillis();
            gw.engine.statusChanged(new StatusSnapshot(GatewayState.DEGRADED, "plc:plc-1: unreachable", before));
            ReceivedMessage status = wms.awaitNonDurable("status", n -> "degraded".equals(n.path("state").asText()),
                    java.time.Instant.ofEpochMilli(before - 1), Duration.ofSeconds(30));
            assertThat(status.json().path("reason").asText()).contains("plc-1");
            assertThat(wms.duplicateCount(TestGateway.GATEWAY)).isZero();
            assertThat(wms.protocolViolations()).isEmpty();
            assertThat(gw.env.audited("wms.registered", "ok")).isEqualTo(1);
        }
    }

    @Test
    void aMessageWhoseWakeUpWasLostGoesOutWithTheNextSweep() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            gw.outbox().muted = true;
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofMillis(Delivery.SWEEP_MS * 5));
        }
    }

    @Test
    void singleMessagesWhenIdleAndBatchesUnderLoad() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            gw.append(1);
            ReceivedMessage first = wms.awaitDurable(TestGateway.GATEWAY, 1, Duration.ofSeconds(30));
            assertThat(first.json().path("type").asText()).isEqualTo("telemetry");
            gw.append(5000);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 5001, Duration.ofSeconds(30));
            // 5001 messages in far fewer frames than messages: batching happened.
            assertThat(gw.engine.info().sentPerSecond()).isGreaterThanOrEqualTo(0);
            assertThat(wms.storedCount(TestGateway.GATEWAY)).isEqualTo(5001);
        }
    }

    @Test
    void registerAnswerAndHelloDropWhatTheWmsAlreadyHas() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            try (TestGateway gw = TestGateway.start(wms)) {
                gw.append(10);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 10, Duration.ofSeconds(30));
            }
            // A restarted gateway whose acks were lost still holds 1..10 and numbers on from 11.
            InMemoryOutbox restarted = new InMemoryOutbox();
            for (int i = 0; i < 15; i++) {
                restarted.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, i);
            }
            try (TestGateway gw = TestGateway.start(restarted, new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(wms.baseUrl()))) {
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 15, Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.stats().messages() == 0);
                assertThat(wms.duplicateCount(TestGateway.GATEWAY)).isZero();
            }
        }
    }
}
