package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TargetQueueTest {
    private final List<String> executedBy = new CopyOnWriteArrayList<>();
    private final TargetQueue queue = new TargetQueue("plc-idle", c -> executedBy.add(Thread.currentThread().getName()
            + "#" + Thread.currentThread().getId()), 100);

    @AfterEach
    void stop() {
        queue.stop(1000);
    }

    @Test
    void noThreadUntilTheFirstCommand() {
        assertThat(queue.hasWorker()).isFalse();
        assertThat(threadsNamed("gateway-commands-plc-idle")).isZero();
    }

    @Test
    void anIdleWorkerEndsAndTheNextCommandStartsANewOne() {
        assertThat(queue.offer(command("c-1"), 10)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> executedBy.size() == 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> !queue.hasWorker()
                && threadsNamed("gateway-commands-plc-idle") == 0);

        assertThat(queue.offer(command("c-2"), 10)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> executedBy.size() == 2);
        assertThat(executedBy.get(1)).startsWith("gateway-commands-plc-idle#").isNotEqualTo(executedBy.get(0));
    }

    @Test
    void stoppedQueueRefusesAndReturnsWhatNeverStarted() {
        TargetQueue blocked = new TargetQueue("plc-blocked", c -> {
            try {
                new java.util.concurrent.CountDownLatch(1).await(); // a PLC write that hangs; stop() interrupts it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 60_000);
        blocked.offer(command("running"), 10);
        blocked.offer(command("waiting"), 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> blocked.waiting() == 1);

        List<QueuedCommand> left = blocked.stop(2000);

        assertThat(left).extracting(q -> q.command().commandId()).containsExactly("waiting");
        assertThat(blocked.offer(command("late"), 10)).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> threadsNamed("gateway-commands-plc-blocked") == 0);
    }

    private static QueuedCommand command(String id) {
        Command command = new Command(id, "t", "g", "plc-idle", "move", null, 0, Long.MAX_VALUE, "k", new byte[0],
                new byte[0]);
        return new QueuedCommand(command, null, 0);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }
}
