package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import site.gateway.api.plc.PlcState;
import site.gateway.plc.s7.S7Driver;
import site.gateway.testsupport.S7TestServer;

/**
 * The S7 server going away and coming back many times (-Dplc.s7.reconnects, 40 by default; 500 is the
 * issue's figure, run by hand): each time the PLC goes unreachable and reconnects, and the threads and
 * sockets of the JVM stay where they were. The gateway's S7 driver has no thread of its own: the thread families
 * after the reconnects are those after the first connection, with no exception.
 */
class S7ReconnectLeakTest {
    private static final int RECONNECTS = Integer.getInteger("plc.s7.reconnects", 40);
    private static final int WARM_UP = 5;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void reconnectsLeaveNoThreadOrSocketBehind() throws Exception {
        String unavailable = S7TestServer.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "S7 tests skipped: " + unavailable);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (S7TestServer server = new S7TestServer(Map.of(1, 16))) {
            int threadsBefore = threads.getThreadCount();
            long socketsBefore = openSockets();
            int threadsAfterFirst;
            long socketsAfterFirst;
            try (TestPlc plc = new TestPlc().withDriver(new S7Driver())) {
                plc.activate(TestPlc.config("plcId", "s7-leak", "connection", server.connection(), "pollIntervalMs", "50",
                        "tags", "load=%DB1.DBW2:INT", "requestTimeoutMs", "500", "backoffInitialMs", "20", "backoffMaxMs", "100"));
                PlcEngine engine = plc.engine();
                await().atMost(WAIT).until(() -> engine.status().state() == PlcState.CONNECTED);
                // Warm up (the plc core's own threads), then measure.
                cycle(server, engine, WARM_UP);
                Map<String, Long> families = threadFamilies();
                threadsAfterFirst = threads.getThreadCount();
                socketsAfterFirst = openSockets();
                long attemptsBefore = engine.connectAttempts();

                cycle(server, engine, RECONNECTS);
                awaitSettled(families, socketsAfterFirst);
                System.out.printf("S7ReconnectLeakTest: %d reconnects (%d connect attempts); threads %d before, %d connected, %d after; "
                        + "sockets %d before, %d connected, %d after; thread families %s%n", RECONNECTS, engine.connectAttempts() - attemptsBefore,
                        threadsBefore, threadsAfterFirst, threads.getThreadCount(), socketsBefore, socketsAfterFirst, openSockets(), threadFamilies());
                assertThat(plc.alerts.raised).filteredOn(a -> a.code().equals("plc.unreachable")).isNotEmpty();
            }
            // Stopped: no socket left, no thread of the PLC or of its connection (other tests of this JVM may have left
            // PLC4X's OPC UA threads: those are not the S7 driver's, whose threads the thread families above count).
            await().atMost(WAIT).until(() -> openSockets() <= socketsBefore && threadsNamed("plc-s7-leak") == 0
                    && threadsNamed("nioEventLoopGroup") == 0);
        }
    }

    private static void cycle(S7TestServer server, PlcEngine engine, int times) {
        for (int i = 0; i < times; i++) {
            server.stop();
            await().atMost(WAIT).until(() -> engine.status().state() == PlcState.UNREACHABLE);
            server.start();
            await().atMost(WAIT).until(() -> engine.status().state() == PlcState.CONNECTED);
        }
    }

    /**
     * Settled: no more sockets than {@code sockets}, and no thread family (name without its numbers) larger
     * than in {@code baseline}.
     */
    private static void awaitSettled(Map<String, Long> baseline, long sockets) {
        try {
            await().atMost(WAIT).until(() -> settled(baseline, sockets));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("expected at most " + sockets + " sockets and threads " + baseline + ", still " + LAST.get(), e);
        }
    }

    private static boolean settled(Map<String, Long> baseline, long sockets) {
        Map<String, Long> now = threadFamilies();
        boolean settled = openSockets() <= sockets && now.entrySet().stream().filter(f -> !f.getKey().startsWith("awaitility")).allMatch(f -> f.getValue()
                <= baseline.getOrDefault(f.getKey(), 0L));
        if (!settled) {
            LAST.set(openSockets() + " sockets, threads " + now);
        }
        return settled;
    }

    /** Live threads by name with the numbers taken out ("nioEventLoopGroup-#-#" → count). */
    static Map<String, Long> threadFamilies() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .collect(java.util.stream.Collectors.groupingBy(t -> t.getName().replaceAll("(?<=[-(])[0-9]+|(?<=pid )[0-9]+", "#"),
                        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> LAST = new java.util.concurrent.atomic.AtomicReference<>();

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** Sockets this JVM holds open (Linux: /proc/self/fd links to socket:[inode]); -1 elsewhere. */
    static long openSockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> all = Files.list(fds)) {
            return all.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
