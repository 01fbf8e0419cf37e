package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;

/**
 * Harness: 1,000 signed move commands one after another, measuring handle() call to ack returned
 * and to the write applied on the PLC side, with the real replay cache (synced per command) and a
 * fake PLC that applies writes at once. Figures go to stdout and target/command-latency.txt.
 * Count: {@code -Dcommands.latency.count=N}.
 */
class CommandLatencyTest {
    @TempDir
    Path dir;

    @Test
    void ackAndWriteLatencyOverAThousandCommands() throws IOException {
        int count = Integer.getInteger("commands.latency.count", 1000);
        int warmup = 100;
        try (Fixture f = new Fixture(Path.of(ModbusLatencyTest.replayDir(dir)))) {
            f.start();
            AtomicLong lastWrite = new AtomicLong();
            f.plcs.onWrite = lastWrite::set;
            long[] ack = new long[count];
            long[] write = new long[count];
            for (int i = -warmup; i < count; i++) {
                f.clock.advance(System.currentTimeMillis() - f.clock.millis()); // follow real time
                String json = f.signed(move(f, "lat-" + i, i));
                lastWrite.set(0);
                long start = System.nanoTime();
                String reply = f.service.handle(json);
                long acked = System.nanoTime();
                assertThat(reply).contains("\"accepted\":true");
                await().pollInterval(Duration.ofNanos(20_000)).pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(5))
                        .until(() -> lastWrite.get() != 0);
                if (i >= 0) {
                    ack[i] = acked - start;
                    write[i] = lastWrite.get() - start;
                }
            }
            await().until(() -> f.outbox.messages(MessageType.COMMAND_RESULT).size() == count + warmup);
            assertThat(f.outbox.messages(MessageType.COMMAND_RESULT)).allMatch(r -> r.path("status").asText().equals("succeeded"));
            Latency ackLatency = new Latency(ack);
            Latency writeLatency = new Latency(write);
            String report = "fake PLC, " + count + " commands, replay file in " + ModbusLatencyTest.replayDir(dir)
                    + ": handle()->ack " + ackLatency
                    + "; handle()->PLC write " + writeLatency + System.lineSeparator();
            System.out.print(report);
            Files.writeString(Path.of("target", "command-latency.txt"), report, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            // Loose bounds: this guards against pathologies (a sleep, a lock held across a PLC call), not speed.
            assertThat(ackLatency.percentileMillis(50)).isLessThan(200);
            assertThat(writeLatency.percentileMillis(50)).isLessThan(400);
        }
    }

    private static ObjectNode move(Fixture f, String id, int value) {
        ObjectNode command = f.move(id);
        ((ObjectNode) command.get("payload").get("writes").get(0)).put("value", value);
        return command;
    }
}
