package site.gateway.plc.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.testsupport.OpcUaTestServer;

/**
 * A server restarted again and again under a connection, as the plc core handles it (lost → close → new
 * connection): the process's threads and sockets stay where they were after the first cycles.
 * {@code -Dplc.opcua.reconnects=N} for a longer run (default 12).
 */
class ReconnectLeakTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void serverRestartsLeakNoThreadAndNoSocket() throws Exception {
        int cycles = Integer.getInteger("plc.opcua.reconnects", 12);
        OpcuaDriver driver = new OpcuaDriver();
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("load", (short) 1))) {
            int threadsAfterWarmUp = 0;
            Map<String, Integer> families = Map.of();
            long socketsAfterWarmUp = 0;
            for (int cycle = 0; cycle < cycles; cycle++) {
                PlcConnection connection = driver.getConnection(server.connection());
                connection.connect();
                server.set("load", (short) cycle);
                PlcReadResponse r = connection.readRequestBuilder().addTagAddress("load", "ns=2;s=load;INT").build().execute()
                        .get(10, TimeUnit.SECONDS);
                assertThat(r.getResponseCode("load")).isEqualTo(PlcResponseCode.OK);
                assertThat(r.getPlcValue("load").getObject()).isEqualTo((short) cycle);
                if (cycle == 2) {
                    families = families();
                    threadsAfterWarmUp = Thread.activeCount();
                    socketsAfterWarmUp = sockets();
                }
                server.stop();
                await().atMost(WAIT).until(() -> !connection.isConnected());
                connection.close();
                server.start();
            }
            // a connected session again, as at the measurement after warm-up
            PlcConnection last = driver.getConnection(server.connection());
            last.connect();
            try {
                int threads = Thread.activeCount();
                long sockets = sockets();
                System.out.printf("OPC UA reconnects: %d cycles; threads %d after 3, %d after %d; sockets %d and %d%n  thread families %s%n  then %s%n",
                        cycles, threadsAfterWarmUp, threads, cycles, socketsAfterWarmUp, sockets, families, families());
                // Milo's shared pools may hold a few more idle threads at one moment than at another, never one per cycle
                assertThat(threads).isLessThanOrEqualTo(threadsAfterWarmUp + 4);
                assertThat(sockets).isLessThanOrEqualTo(socketsAfterWarmUp);
            } finally {
                last.close();
            }
        }
    }

    private static Map<String, Integer> families() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            out.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return out;
    }

    /** Open sockets of this process (client and server side), from /proc/self/fd. */
    private static long sockets() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
