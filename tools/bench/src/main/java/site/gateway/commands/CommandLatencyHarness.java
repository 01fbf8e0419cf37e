package site.gateway.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.plc.E2ePlc;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;

/**
 * Command latency: signed move commands one after another through CommandService with the real replay
 * cache (forced per command), measuring from the handle() call to the ack returned and to the write
 * applied on the PLC side. {@code fake}: a fake PLC that applies writes at once; {@code modbus}: the plc
 * bundle's managed PLC on the gateway's Modbus TCP driver to a j2mod server on 127.0.0.1 (the write time
 * taken inside the server's register). Prints p50/p99/max, and for {@code both} the ratio of the medians.
 * (In this package because CommandService and the fixtures of bundles/commands' test-jar are package-private.)
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.commands.CommandLatencyHarness [fake|modbus|both] [count] [replayDir]</pre>
 */
public final class CommandLatencyHarness {
    private static final int WARMUP = 100;
    /** Only against a hang: a command whose write never arrives ends the run. */
    private static final Duration HANG = Duration.ofSeconds(60);

    private CommandLatencyHarness() {
    }

    /** The two series of one run. */
    record Result(Latency ack, Latency write) {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "both";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path replay = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("command-latency");
        try {
            Result fake = what.equals("modbus") ? null : fakePlc(count, replay.resolve("fake"));
            Result modbus = what.equals("fake") ? null : modbus(count, replay.resolve("modbus"));
            if (fake != null) {
                System.out.println("fake PLC, " + count + " commands, replay file in " + replay + ": handle()->ack "
                        + fake.ack() + "; handle()->PLC write " + fake.write());
            }
            if (modbus != null) {
                System.out.println("Modbus (gateway driver -> j2mod on 127.0.0.1), " + count + " commands, replay file in " + replay
                        + ": handle()->ack " + modbus.ack() + "; handle()->register written at the server " + modbus.write());
            }
            if (fake != null && modbus != null) {
                System.out.printf(Locale.ROOT, "ratio of medians, Modbus / fake PLC: ack %.2f, write %.2f%n",
                        modbus.ack().percentileMillis(50) / fake.ack().percentileMillis(50),
                        modbus.write().percentileMillis(50) / fake.write().percentileMillis(50));
            }
        } finally {
            if (args.length <= 2) {
                deleteRecursively(replay);
            }
        }
    }

    static Result fakePlc(int count, Path dir) throws IOException {
        try (Fixture f = new Fixture(dir)) {
            f.start();
            AtomicLong lastWrite = new AtomicLong();
            f.plcs.onWrite = lastWrite::set;
            long[] ack = new long[count];
            long[] write = new long[count];
            for (int i = -WARMUP; i < count; i++) {
                f.clock.advance(System.currentTimeMillis() - f.clock.millis()); // follow real time
                ObjectNode command = f.move("lat-" + i);
                ((ObjectNode) command.get("payload").get("writes").get(0)).put("value", i);
                String json = f.signed(command);
                lastWrite.set(0);
                long start = System.nanoTime();
                String reply = f.service.handle(json);
                long acked = System.nanoTime();
                require(reply.contains("\"accepted\":true"), reply);
                awaitHang("the write of command " + i, () -> lastWrite.get() != 0);
                if (i >= 0) {
                    ack[i] = acked - start;
                    write[i] = lastWrite.get() - start;
                }
            }
            awaitHang("every command.result", () -> f.outbox.messages(MessageType.COMMAND_RESULT).size() == count + WARMUP);
            require(f.outbox.messages(MessageType.COMMAND_RESULT).stream()
                    .allMatch(r -> r.path("status").asText().equals("succeeded")), "a command did not succeed");
            return new Result(new Latency(ack), new Latency(write));
        }
    }

    static Result modbus(int count, Path dir) throws Exception {
        FixedIdentity identity = new FixedIdentity("acme", "gw-lat-01");
        TestSigner signer = new TestSigner("wms-cmd-2026");
        MemoryOutbox outbox = new MemoryOutbox();
        try (ModbusServer server = new ModbusServer();
                E2ePlc plc = new E2ePlc(identity, outbox, "plc-1", server.connection(),
                        "conveyor1.target=holding-register:5:INT")) {
            awaitHang("the PLC connected", plc::connected);
            CommandService service = new CommandService(signer, identity, plc.registry(), outbox,
                    Converters.standardConverter().convert(Map.of("replayCacheDirectory", dir.toString()))
                            .to(CommandsConfig.class), Clock.systemUTC());
            try {
                AtomicLong lastWrite = new AtomicLong();
                server.onWrite = lastWrite::set;
                long[] ack = new long[count];
                long[] write = new long[count];
                for (int i = -WARMUP; i < count; i++) {
                    String json = Json.write(signer.sign(move(identity, signer.kid, "lat-" + i, 1000 + i)));
                    lastWrite.set(0);
                    long start = System.nanoTime();
                    String reply = service.handle(json);
                    long acked = System.nanoTime();
                    require(reply.contains("\"accepted\":true"), reply);
                    awaitHang("the register write of command " + i, () -> lastWrite.get() != 0);
                    if (i >= 0) {
                        ack[i] = acked - start;
                        write[i] = lastWrite.get() - start;
                    }
                }
                require(server.holding(5) == 1000 + count - 1, "last value written: " + server.holding(5));
                return new Result(new Latency(ack), new Latency(write));
            } finally {
                service.deactivate();
            }
        }
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

    /** Polls every 20 µs (the figures are in the sub-millisecond range); fails only after {@link #HANG}. */
    private static void awaitHang(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no " + what + " within " + HANG);
            }
            LockSupport.parkNanos(20_000);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
