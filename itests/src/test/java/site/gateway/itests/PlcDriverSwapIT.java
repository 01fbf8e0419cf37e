package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Issue 5: a Modbus PLC configured by a .cfg file, and the Modbus driver bundle (the gateway's own,
 * site.gateway.plc.modbus, issue 15) taken out of deploy/ and put back while it runs; and the demo's simulated PLC. The PLC must go unreachable with a clear reason, close its
 * connection, and reconnect once the driver is back. The PLC bundles are dropped into deploy/ as an
 * operator would (those the distribution does not already carry), so FileInstall installs them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlcDriverSwapIT {
    private static final Path HOME = Path.of(System.getProperty("gateway.home", "not-configured"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String DRIVER = "site.gateway.plc.modbus";

    /** The bundles of features/plc-modbus, then those plc-simulated adds, as Maven coordinates in the local repository. */
    private static final String[] PLC_MODBUS = {
        "site.gateway:site.gateway.plc:1.0.0-SNAPSHOT",
        "site.gateway:site.gateway.plc.modbus:1.0.0-SNAPSHOT",
        "org.apache.plc4x:plc4j-api:0.13.1",
        // features/plc-simulated adds these: the demo's PLC
        "org.apache.plc4x:plc4j-spi:0.13.1",
        "org.apache.plc4x:plc4j-osgi:0.13.0",
        "io.netty:netty-buffer:4.1.123.Final",
        "io.netty:netty-codec:4.1.123.Final",
        "io.netty:netty-common:4.1.123.Final",
        "io.netty:netty-resolver:4.1.123.Final",
        "io.netty:netty-transport:4.1.123.Final",
        "org.apache.commons:commons-lang3:3.18.0",
        "commons-codec:commons-codec:1.19.0",
        "io.vavr:vavr:0.10.7",
        "com.github.jinahya:bit-io:1.4.3",
        "org.apache.plc4x:plc4j-driver-simulated:0.13.1",
    };

    @Inject
    private BundleContext context;

    private TinyModbusServer server;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws IOException {
        Path home = Files.createTempDirectory("gateway-itest-plc");
        Option gateway = GatewayOptions.gateway(home);
        Path repo = Path.of(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        List<String> present = GatewayOptions.symbolicNames(home.resolve("deploy"));
        for (String coordinates : PLC_MODBUS) {
            String[] gav = coordinates.split(":");
            Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                    .resolve(gav[1] + "-" + gav[2] + ".jar");
            if (!present.contains(symbolicName(jar))) {
                Files.copy(jar, home.resolve("deploy").resolve(jar.getFileName()));
            }
        }
        return new Option[] {gateway};
    }

    @Before
    public void startServer() throws IOException {
        server = new TinyModbusServer();
    }

    @After
    public void stopServer() throws IOException {
        server.close();
    }

    @Test
    public void theModbusDriverBundleSwappedOutAndInWhileAPlcIsConfigured() throws Exception {
        awaitRegistry();
        writeCfg("gateway.plc-swap.cfg", "plcId = swap-1\nconnection = modbus-tcp://127.0.0.1:" + server.port()
                + "\npollIntervalMs = 200\ntags = conveyor1.speed=holding-register:1:INT\nrequestTimeoutMs = 10000\n"
                // A backoff of an hour: had the driver's return waited for it, the PLC would not reconnect within WAIT.
                + "backoffInitialMs = 3600000\nbackoffMaxMs = 3600000\n");
        Await.until("the PLC connects through the driver bundle", WAIT, () -> "CONNECTED".equals(state("swap-1")));
        assertTrue("it reads the server", status("swap-1").lastReadTs() > 0);

        Path driverJar = deployedJar(DRIVER);
        Path aside = HOME.resolve("data").resolve(driverJar.getFileName());
        Files.move(driverJar, aside, StandardCopyOption.ATOMIC_MOVE);
        Await.until("the driver bundle is uninstalled", WAIT, () -> bundle(DRIVER).isEmpty());
        Await.until("the PLC is unreachable for want of its driver", WAIT, () -> "UNREACHABLE".equals(state("swap-1")));
        assertEquals("driver modbus-tcp not available", status("swap-1").reason());
        Await.until("its connection is closed: the server sees no client", WAIT, () -> server.clients() == 0);

        Files.move(aside, driverJar, StandardCopyOption.ATOMIC_MOVE);
        Await.until("the driver bundle is back and active", WAIT,
                () -> bundle(DRIVER).map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
        Await.until("the PLC reconnects without waiting for its backoff", WAIT, () -> "CONNECTED".equals(state("swap-1")));
        long lastRead = status("swap-1").lastReadTs();
        Await.until("polling goes on", WAIT, () -> status("swap-1").lastReadTs() > lastRead);
    }

    @Test
    public void theDemoConfigurationPollsTheSimulatedPlc() throws Exception {
        awaitRegistry();
        writeCfg("gateway.plc-demo.cfg", "plcId = demo-plc\nconnection = simulated://demo\npollIntervalMs = 200\n"
                + "tags = conveyor1.speed=RANDOM/conveyor1_speed:REAL, conveyor1.running=RANDOM/conveyor1_running:BOOL, "
                + "conveyor1.target=STATE/conveyor1_target:DINT\n");
        Await.until("the simulated PLC is connected", WAIT, () -> "CONNECTED".equals(state("demo-plc")));
        long lastRead = status("demo-plc").lastReadTs();
        Await.until("and polled", WAIT, () -> status("demo-plc").lastReadTs() > lastRead);
    }

    /** FileInstall installs deploy/ after the probe starts: wait (by name only) before touching the API. */
    private void awaitRegistry() {
        try {
            Await.until("the PLC registry is up", WAIT,
                    () -> context.getServiceReference("site.gateway.api.plc.PlcRegistry") != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; bundles not active: " + notActive(), e);
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    /**
     * The PLC's status, read reflectively: the probe is installed before FileInstall installs the API
     * bundle from deploy/, so the probe cannot link to API classes; it talks to the service as an Object.
     */
    private Status status(String plcId) throws Exception {
        ServiceReference<?> ref = context.getServiceReference("site.gateway.api.plc.PlcRegistry");
        if (ref == null) {
            return null;
        }
        Object registry = context.getService(ref);
        Optional<?> status = (Optional<?>) registry.getClass().getMethod("status", String.class).invoke(registry, plcId);
        if (status.isEmpty()) {
            return null;
        }
        Object s = status.get();
        Object state = s.getClass().getMethod("state").invoke(s);
        return new Status(state.toString(), (String) s.getClass().getMethod("reason").invoke(s),
                (Long) s.getClass().getMethod("lastReadTs").invoke(s));
    }

    private record Status(String state, String reason, long lastReadTs) {
    }

    private String state(String plcId) throws Exception {
        Status s = status(plcId);
        return s == null ? null : s.state();
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst();
    }

    private String notActive() {
        StringBuilder out = new StringBuilder();
        for (Bundle b : context.getBundles()) {
            if (b.getState() != Bundle.ACTIVE && b.getHeaders().get("Fragment-Host") == null) {
                String why = "";
                try {
                    b.start();
                } catch (Exception e) {
                    why = " (" + e.getMessage() + ")";
                }
                out.append(b.getSymbolicName()).append('=').append(b.getState()).append(why).append("; ");
            }
        }
        return out.toString();
    }

    private static Path deployedJar(String symbolicName) throws IOException {
        try (var files = Files.list(HOME.resolve("deploy"))) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                if (symbolicName.equals(symbolicName(jar))) {
                    return jar;
                }
            }
        }
        throw new AssertionError(symbolicName + " is not in deploy/");
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String name = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null ? "" : name.split(";")[0].trim();
        }
    }

    private static void writeCfg(String name, String content) throws IOException {
        ConfFiles.replace(HOME, name, content);
    }
}
