package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.OutboxEntry;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** The session's counters for operators: messages sent again, and moves to another endpoint. */
class SessionCountersTest {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final List<Long> sent = new CopyOnWriteArrayList<>();
    private final Delivery delivery = new Delivery(outbox, new Batcher(), loop,
            () -> TestGateway.settings(TestGateway.fast("https://localhost:1")), new RateMeter());

    /** A link that takes every frame; the WMS never acknowledges. */
    private final Delivery.Sink link = new Delivery.Sink() {
        @Override
        public int maxInFlight() {
            return 8;
        }

        @Override
        public void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed) {
            entries.forEach(e -> sent.add(e.seq()));
            written.run();
        }

        @Override
        public void tooLarge(OutboxEntry entry) {
        }
    };

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    /** Runs a step on the delivery's thread and waits until it and everything it queued have run. */
    private void onLoop(Runnable step) throws Exception {
        loop.submit(step).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            loop.submit(() -> { }).get(30, TimeUnit.SECONDS); // written() callbacks queue further pumps
        }
    }

    @Test
    void deliveriesNotAcknowledgedBeforeAReconnectAreResentAndCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            outbox.appendTelemetry("acme", "gw-01", i);
        }
        onLoop(() -> delivery.start(link, 1));
        onLoop(delivery::pump);
        assertThat(sent).containsExactly(1L, 2L, 3L);
        assertThat(delivery.resent()).isZero();

        // The link is lost with nothing acknowledged; the new session's welcome says the WMS has seq 1.
        onLoop(delivery::stop);
        onLoop(() -> delivery.start(link, 2));
        onLoop(delivery::pump);
        assertThat(sent).containsExactly(1L, 2L, 3L, 2L, 3L);
        assertThat(delivery.resent()).isEqualTo(2);

        // New messages after the reconnect are sent for the first time: not resends.
        outbox.appendTelemetry("acme", "gw-01", 3);
        outbox.appendTelemetry("acme", "gw-01", 4);
        onLoop(delivery::pump);
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 7); // after the batcher's wait
        assertThat(sent).containsExactly(1L, 2L, 3L, 2L, 3L, 4L, 5L);
        assertThat(delivery.resent()).isEqualTo(2);
    }

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
