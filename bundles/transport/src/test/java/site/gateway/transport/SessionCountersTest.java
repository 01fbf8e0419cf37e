package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * The session's counters for operators: messages sent again, and moves to another endpoint (how
 * {@link Delivery} counts a resend: DeliveryDurabilityTest).
 */
class SessionCountersTest {
    @Test
    void failoverAndFailbackAreCountedAndAcknowledgedMessagesAreNotResent() throws Exception {
        DevPki pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            a.goOffline();
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(a.baseUrl() + "," + b.baseUrl()))) {
                gw.append(50);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 50, Duration.ofSeconds(30));
                assertThat(a.openSession(TestGateway.GATEWAY).node()).isEqualTo(b.port());
                assertThat(gw.engine.info().failovers()).isEqualTo(1);

                a.goOnline(); // failback: the second move to another endpoint
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    SessionRecord s = a.openSession(TestGateway.GATEWAY);
                    return s != null && s.node() == a.port();
                });
                gw.append(50);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 100, Duration.ofSeconds(30));
                assertThat(gw.engine.info().failovers()).isEqualTo(2);
                assertThat(gw.engine.info().messagesResent()).isZero(); // the WMS had all 50 before the move
            }
        }
    }

    @Test
    void messagesTheNextEndpointLacksAreResentAfterTheFailoverAndCounted() throws Exception {
        DevPki pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
        // Two WMS nodes that do not share their store: what the first stored, the second never saw.
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).start()) {
            a.setAcking(false);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(a.baseUrl() + "," + b.baseUrl()))) {
                gw.awaitConnected();
                gw.append(5);
                await().atMost(Duration.ofSeconds(30)).until(() -> a.storedCount(TestGateway.GATEWAY) == 5);
                assertThat(gw.outbox().lastAckedSeq()).isZero();
                assertThat(gw.engine.info().messagesResent()).isZero();

                a.goOffline();
                b.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(30));
                assertThat(gw.engine.info().failovers()).isEqualTo(1);
                assertThat(gw.engine.info().messagesResent()).isEqualTo(5);
            }
        }
    }
}
