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
import site.gateway.api.outbox.OutboxListener;

/**
 * §3.2 "never reused" across crashes: only entries the outbox reports durable leave the gateway, so that no
 * seq the WMS has seen can be lost in a crash and given to another message after the restart.
 */
class DeliveryDurabilityTest {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final List<Long> sent = new CopyOnWriteArrayList<>();
    private final Delivery delivery = new Delivery(outbox, new Batcher(), loop,
            () -> TestGateway.settings(TestGateway.fast("https://localhost:1")), new RateMeter());

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    private final Delivery.Sink sink = new Delivery.Sink() {
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

    /** Runs a step on the delivery's thread and waits until it and everything it queued have run. */
    private void onLoop(Runnable step) throws Exception {
        loop.submit(step).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            loop.submit(() -> { }).get(30, TimeUnit.SECONDS); // written() callbacks queue further pumps
        }
    }

    @Test
    void entriesNotYetDurableAreNeitherSentNorCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            outbox.appendTelemetry("acme", "gw-01", i);
        }
        outbox.holdDurability();
        for (int i = 0; i < 5; i++) {
            outbox.appendTelemetry("acme", "gw-01", i);
        }
        assertThat(outbox.durableSeq()).isEqualTo(3);
        assertThat(outbox.nextSeq()).isEqualTo(9);

        onLoop(() -> delivery.start(sink, 1));
        onLoop(delivery::pump);

        assertThat(sent).containsExactly(1L, 2L, 3L);
        assertThat(delivery.nextToSend()).isEqualTo(4);
    }

    @Test
    void theDurableNotificationSendsWhatBecameDurable() throws Exception {
        outbox.addListener(new OutboxListener() {
            @Override
            public void durable(long upTo) {
                delivery.wake(); // as TransportComponent.durable does; appended() is not wired here
            }
        });
        outbox.holdDurability();
        for (int i = 0; i < 4; i++) {
            outbox.appendTelemetry("acme", "gw-01", i);
        }
        onLoop(() -> delivery.start(sink, 1));
        assertThat(sent).isEmpty();

        outbox.releaseDurability();
        onLoop(() -> { });

        assertThat(sent).containsExactly(1L, 2L, 3L, 4L);
    }

    /** {@code SessionInfo.messagesResent()}: a seq at or below the highest already sent goes out again. */
    @Test
    void deliveriesNotAcknowledgedBeforeAReconnectAreResentAndCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            outbox.appendTelemetry("acme", "gw-01", i);
        }
        onLoop(() -> delivery.start(sink, 1));
        onLoop(delivery::pump);
        assertThat(sent).containsExactly(1L, 2L, 3L);
        assertThat(delivery.resent()).isZero();

        // The link is lost with nothing acknowledged; the new session's welcome says the WMS has seq 1.
        onLoop(delivery::stop);
        onLoop(() -> delivery.start(sink, 2));
        onLoop(delivery::pump);
        // The batcher may hold the resend for up to batchMaxDelayMs after the last send.
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 5);
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
}
