package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.plc.E2ePlc;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;

/**
 * Harness against a real Modbus server: 1,000 signed move commands one after another through
 * CommandService and the plc bundle's managed PLC (PLC4X Modbus TCP driver) to a j2mod server on
 * 127.0.0.1, measuring handle() call to ack returned, and to the register write arriving at the server.
 * The replay cache is the real file, forced per command. Figures go to stdout and
 * target/command-latency.txt. Count: {@code -Dcommands.latency.count=N}.
 */
class ModbusLatencyTest {
    @TempDir
    Path dir;

    @Test
    void ackAndModbusWriteLatencyOverAThousandCommands() throws Exception {
        int count = Integer.getInteger("commands.latency.count", 1000);
        int warmup = 100;
        FixedIdentity identity = new FixedIdentity("acme", "gw-lat-01");
        TestSigner signer = new TestSigner("wms-cmd-2026");
        MemoryOutbox outbox = new MemoryOutbox();
        try (ModbusServer modbus = new ModbusServer();
                E2ePlc plc = new E2ePlc(identity, outbox, "plc-1", modbus.connection(),
                        "conveyor1.target=holding-register:5:INT")) {
            await().atMost(Duration.ofSeconds(15)).until(plc::connected);
            CommandService service = new CommandService(signer, identity, plc.registry(), outbox,
                    Converters.standardConverter().convert(Map.of("replayCacheDirectory", replayDir(dir)))
                            .to(CommandsConfig.class), Clock.systemUTC());
            try {
                AtomicLong lastWrite = new AtomicLong();
                modbus.onWrite = lastWrite::set;
                long[] ack = new long[count];
                long[] write = new long[count];
                for (int i = -warmup; i < count; i++) {
                    String json = Json.write(signer.sign(move(identity, signer.kid, "lat-" + i, 1000 + i)));
                    lastWrite.set(0);
                    long start = System.nanoTime();
                    String reply = service.handle(json);
                    long acked = System.nanoTime();
                    assertThat(reply).contains("\"accepted\":true");
                    await().pollDelay(Duration.ZERO).pollInterval(Duration.ofNanos(50_000)).atMost(Duration.ofSeconds(10))
                            .until(() -> lastWrite.get() != 0);
                    if (i >= 0) {
                        ack[i] = acked - start;
                        write[i] = lastWrite.get() - start;
                    }
                }
                assertThat(modbus.holding(5)).isEqualTo(1000 + count - 1);
                Latency ackLatency = new Latency(ack);
                Latency writeLatency = new Latency(write);
                String report = "Modbus (PLC4X -> j2mod on 127.0.0.1), " + count + " commands, replay file in "
                        + replayDir(dir) + ": handle()->ack "
                        + ackLatency + "; handle()->register written at the server " + writeLatency
                        + System.lineSeparator();
                System.out.print(report);
                Files.writeString(Path.of("target", "command-latency.txt"), report, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                assertThat(ackLatency.percentileMillis(50)).isLessThan(200);
                assertThat(writeLatency.percentileMillis(50)).isLessThan(1000);
            } finally {
                service.deactivate();
            }
        }
    }

    /** {@code -Dcommands.latency.dir=/dev/shm/x} puts the replay file elsewhere (e.g. tmpfs, to see the fsync's share). */
    static String replayDir(Path tempDir) {
        return System.getProperty("commands.latency.dir", tempDir.toString());
    }

    private static ObjectNode move(FixedIdentity identity, String kid, String id, int value) {
        long now = System.currentTimeMillis();
        ObjectNode command = Json.object();
        command.put("type", "command").put("commandId", id).put("tenantId", identity.tenantId())
                .put("gatewayId", identity.gatewayId()).put("plcId", "plc-1").put("kind", "move");
        command.putObject("payload").putArray("writes").addObject().put("tag", "conveyor1.target").put("value", value);
        command.put("issuedAt", now).put("expiresAt", now + 60_000).put("kid", kid);
        return command;
    }
}
