package site.gateway.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * The JVM options {@code bin/gateway} ships (issue 20, docs/operations.md "Sizing a box"): a bounded heap
 * and the serial collector by default, whatever the size of the machine; an operator's collector or heap
 * in GATEWAY_OPTS replaces them (two collectors would stop the JVM from starting). Read from the running
 * gateway's JVM with {@code jcmd VM.flags}.
 */
public class JvmDefaultsIT {
    /** Start of the JVM on a loaded 2-core machine; bounds a hang only. */
    private static final Duration START = Duration.ofSeconds(120);

    @Test
    public void theShippedDefaultsBoundTheHeapAndKeepContainerAwareness() throws Exception {
        String flags = flagsOfAGatewayStartedWith("");
        assertTrue(flags, flags.contains("-XX:MaxHeapSize=134217728"));
        assertTrue(flags, flags.contains("-XX:+UseSerialGC"));
        assertTrue("a small fixed young generation", flags.contains("-XX:MaxNewSize=8388608"));
        assertTrue(flags, flags.contains("-XX:MaxMetaspaceSize="));
        assertTrue("C1 only", flags.contains("-XX:TieredStopAtLevel=1"));
        assertTrue("exits on OutOfMemoryError, for the service manager to restart it", flags.contains("-XX:+ExitOnOutOfMemoryError"));
        assertFalse(flags, flags.contains("-XX:-UseContainerSupport"));
    }

    @Test
    public void c2ComesBackThroughGatewayOpts() throws Exception {
        String flags = flagsOfAGatewayStartedWith("-XX:TieredStopAtLevel=4");
        assertFalse(flags, flags.contains("-XX:TieredStopAtLevel=1"));
        assertTrue(flags, flags.contains("-XX:+UseSerialGC"));
    }

    @Test
    public void aCollectorAndAHeapInGatewayOptsReplaceTheShippedOnes() throws Exception {
        String flags = flagsOfAGatewayStartedWith("-XX:+UseG1GC -Xmx200m");
        assertTrue(flags, flags.contains("-XX:+UseG1GC"));
        assertFalse(flags, flags.contains("-XX:+UseSerialGC"));
        assertFalse("G1 sizes its young generation itself", flags.contains("-XX:MaxNewSize=8388608"));
        assertTrue(flags, flags.contains("-XX:MaxHeapSize=209715200"));
    }

    private static String flagsOfAGatewayStartedWith(String gatewayOpts) throws Exception {
        Path home = Files.createTempDirectory("gateway-jvm-defaults");
        try (ProvisionedGateway gateway = ProvisionedGateway.startAsIs(home,
                gatewayOpts + " -Dorg.osgi.service.http.port=" + freePort() + " -Dorg.apache.felix.http.host=127.0.0.1")) {
            AtomicReference<String> flags = new AtomicReference<>();
            Await.until("the gateway's JVM answers jcmd VM.flags", START, () -> {
                if (!gateway.process().isAlive()) {
                    throw new AssertionError("the gateway stopped: " + gateway.log());
                }
                flags.set(jcmd(gateway.process().pid(), "VM.flags"));
                return flags.get().contains("MaxHeapSize");
            });
            return flags.get();
        } finally {
            deleteTree(home);
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(java) ? java.toString() : "jcmd", String.valueOf(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
