package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import site.gateway.api.plc.PlcState;
import site.gateway.plc.modbus.ModbusDriver;

/**
 * Many failed reconnects to a PLC that is off must not grow heap, threads or sockets. (PLC4X 0.13.1 was reported
 * to leak heap per offline connection, hivemq-edge PR #1760; the engine makes a new connection object for each
 * attempt and closes it.) Runs the gateway's Modbus driver, which starts no thread of its own.
 */
class ReconnectLeakTest {
    private static final int ATTEMPTS = Integer.getInteger("plc.leak.attempts", 1000);

    @Test
    void manyFailedReconnectsKeepHeapAndThreadsFlat() throws Exception {
        int closedPort = ModbusTestServer.freePort();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        int threadsBefore = threads.getThreadCount();
        long socketsBefore = openSockets();
        String figures;

        try (TestPlc plc = new TestPlc().withDriver(new ModbusDriver())) {
            plc.activate(TestPlc.config("plcId", "offline", "connection", "modbus-tcp://127.0.0.1:" + closedPort,
                    "pollIntervalMs", "10", "tags", "a=holding-register:1:INT", "requestTimeoutMs", "1000",
                    "backoffInitialMs", "10", "backoffMaxMs", "10"));
            PlcEngine engine = plc.engine();
            Duration budget = Duration.ofSeconds(120);

            await().atMost(budget).until(() -> engine.connectAttempts() >= ATTEMPTS / 5);
            long heapEarly = usedHeapAfterGc(memory);
            int threadsEarly = threads.getThreadCount();

            await().atMost(budget).until(() -> engine.connectAttempts() >= ATTEMPTS);
            long heapLate = usedHeapAfterGc(memory);
            int threadsLate = threads.getThreadCount();

            figures = String.format("ReconnectLeakTest: %d attempts; heap after GC %.1f MB at %d attempts, %.1f MB at %d; "
                    + "threads %d before, %d at %d attempts, %d at %d", engine.connectAttempts(),
                    heapEarly / 1e6, ATTEMPTS / 5, heapLate / 1e6, ATTEMPTS, threadsBefore, threadsEarly, ATTEMPTS / 5,
                    threadsLate, ATTEMPTS);
            assertThat(engine.status().state()).isEqualTo(PlcState.UNREACHABLE);
            assertThat(engine.status().reason()).contains("Connection refused");
            assertThat(plc.alerts.raised).hasSize(1);
            // Flat: 800 attempts later, no growth beyond GC noise; a leak of 13 kB per attempt shows.
            assertThat(heapLate - heapEarly).isLessThan(10_000_000L);
            // The driver starts no thread; the slack is for the JDK's shared pools (connect watchdog timer, common pool).
            assertThat(threadsLate).isLessThanOrEqualTo(threadsEarly + 4);
            assertThat(openSockets()).as("failed connects close their sockets").isLessThanOrEqualTo(socketsBefore + 2);
        }
        // Stopped: back to where we started.
        await().atMost(Duration.ofSeconds(30)).until(() -> threads.getThreadCount() <= threadsBefore + 2);
        System.out.println(figures + "; " + threads.getThreadCount() + " after stop");
    }

    /** Socket file descriptors of this JVM (Linux). */
    private static long openSockets() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
