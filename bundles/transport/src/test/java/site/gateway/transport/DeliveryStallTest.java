package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.OutboxEntry;

/** What the session's watch reads to replace a link whose writes never complete. */
class DeliveryStallTest {
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final List<Runnable> pendingCompletions = new CopyOnWriteArrayList<>();
    private final Delivery delivery = new Delivery(outbox, new Batcher(), loop,
            () -> TestGateway.settings(TestGateway.fast("https://wms.example")), new RateMeter());

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    @Test
    void framesInFlightWithoutCompletionCountAsStalledUntilOneCompletes() throws Exception {
        assertThat(delivery.stalledForMs()).as("nothing in flight").isZero();
        outbox.appendTelemetry("acme", "gw-01", 1);
        loop.submit(() -> delivery.start(sinkThatNeverCompletesByItself(), 1)).get();

        await().atMost(Duration.ofSeconds(30)).until(() -> delivery.stalledForMs() >= 200);

        pendingCompletions.forEach(Runnable::run);
        await().atMost(Duration.ofSeconds(30)).until(() -> delivery.stalledForMs() == 0);
    }

    private Delivery.Sink sinkThatNeverCompletesByItself() {
        return new Delivery.Sink() {
            @Override
            public int maxInFlight() {
                return 1;
            }

            @Override
            public void send(List<OutboxEntry> entries, Runnable written, Consumer<Throwable> failed) {
                pendingCompletions.add(written);
            }

            @Override
            public void tooLarge(OutboxEntry entry) {
            }
        };
    }
}
