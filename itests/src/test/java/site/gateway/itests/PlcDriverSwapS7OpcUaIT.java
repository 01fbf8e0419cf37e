package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import site.gateway.testsupport.OpcUaTestServer;
import site.gateway.testsupport.S7TestServer;

/**
 * Issue 15: the driver swap of PlcDriverSwapIT for S7 (the distribution carries plc-s7: the gateway's S7 driver
 * bundle) and OPC UA (feature plc-opcua, whose bundles are dropped into deploy/ as an operator would). Against real servers: snap7's S7
 * server and Eclipse Milo's OPC UA server, started outside the framework (the native container runs in this
 * JVM; the connection strings reach the probe as system properties). Each PLC connects and reads; its
 * driver jar taken out of deploy/ makes it "driver ... not available" while the other PLC keeps reading;
 * the jar put back reconnects it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlcDriverSwapS7OpcUaIT {
    private static final Path HOME = Path.of(System.getProperty("gateway.home", "not-configured"));
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String S7_CONNECTION = "itest.s7.connection";
    private static final String OPCUA_CONNECTION = "itest.opcua.connection";

    /**
     * features/plc-opcua beyond what the distribution carries (present symbolic names are skipped): the gateway's OPC UA
     * driver (Eclipse Milo's client inlined) and what it imports besides the distribution's bundles.
     */
    private static final String[] PLC_OPCUA = {
        "site.gateway:site.gateway.plc.opcua:1.0.0-SNAPSHOT",
        "io.netty:netty-buffer:4.1.123.Final",
        "io.netty:netty-codec:4.1.123.Final",
        "io.netty:netty-codec-http:4.1.123.Final",
        "io.netty:netty-common:4.1.123.Final",
        "io.netty:netty-handler:4.1.123.Final",
        "io.netty:netty-resolver:4.1.123.Final",
        "io.netty:netty-transport:4.1.123.Final",
        "io.netty:netty-transport-native-unix-common:4.1.123.Final",
        "com.google.guava:guava:33.2.1-jre",
        "com.google.guava:failureaccess:1.0.2",
        "org.bouncycastle:bcprov-jdk18on:1.87",
        "org.bouncycastle:bcpkix-jdk18on:1.87",
        "org.bouncycastle:bcutil-jdk18on:1.87",
    };

    @Inject
    private BundleContext context;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws Exception {
        Path home = Files.createTempDirectory("gateway-itest-plc-swap");
        Option gateway = GatewayOptions.gateway(home);
        Path repo = Path.of(System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository"));
        List<String> present = GatewayOptions.symbolicNames(home.resolve("deploy"));
        for (String coordinates : PLC_OPCUA) {
            String[] gav = coordinates.split(":");
            Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(gav[1] + "-" + gav[2] + ".jar");
            if (!present.contains(symbolicName(jar))) {
                Files.copy(jar, home.resolve("deploy").resolve(jar.getFileName()));
            }
        }
        // Started once for the class; they end with this JVM (the S7 server exits when its stdin closes).
        String unavailable = S7TestServer.unavailableReason();
        if (unavailable != null) {
            throw new AssertionError("the S7 test server cannot run here: " + unavailable);
        }
        S7TestServer s7 = new S7TestServer(Map.of(1, 16));
        s7.set(1, 2, new byte[] {0, 42});
        System.setProperty(S7_CONNECTION, s7.connection());
        OpcUaTestServer opcua = new OpcUaTestServer(Files.createTempDirectory("gateway-itest-opcua"), Map.of("load", (short) 7));
        System.setProperty(OPCUA_CONNECTION, opcua.connection());
        return new Option[] {gateway};
    }

    @Test
    public void s7AndOpcUaDriversSwappedOutAndInWhileTheOtherPlcKeepsReading() throws Exception {
        awaitRegistry();
        writeCfg("gateway.plc-s7swap.cfg", "plcId = s7-swap\nconnection = " + System.getProperty(S7_CONNECTION)
                + "\npollIntervalMs = 200\ntags = load=%DB1.DBW2:INT\nrequestTimeoutMs = 3000\nbackoffInitialMs = 200\nbackoffMaxMs = 5000\n");
        writeCfg("gateway.plc-uaswap.cfg", "plcId = ua-swap\nconnection = " + System.getProperty(OPCUA_CONNECTION)
                + "\npollIntervalMs = 200\ntags = load=ns=2;s=load;INT\nrequestTimeoutMs = 5000\nbackoffInitialMs = 200\nbackoffMaxMs = 5000\n");
        Await.until("the S7 PLC connects through the distribution's S7 driver", WAIT, () -> "CONNECTED".equals(state("s7-swap")));
        Await.until("the OPC UA PLC connects through the dropped-in plc-opcua bundles", WAIT, () -> "CONNECTED".equals(state("ua-swap")));

        swap("site.gateway.plc.s7", "s7-swap", "s7", "ua-swap");
        swap("site.gateway.plc.opcua", "ua-swap", "opcua", "s7-swap");
    }

    /** The driver jar out of deploy/: its PLC loses the driver, the other reads on; back: it reconnects. */
    private void swap(String driver, String plcId, String code, String otherPlcId) throws Exception {
        Path driverJar = deployedJar(driver);
        Path aside = HOME.resolve("data").resolve(driverJar.getFileName());
        Files.move(driverJar, aside, StandardCopyOption.ATOMIC_MOVE);
        Await.until(driver + " is uninstalled", WAIT, () -> bundle(driver).isEmpty());
        Await.until(plcId + " is unreachable for want of its driver", WAIT, () -> "UNREACHABLE".equals(state(plcId)));
        assertEquals("driver " + code + " not available", status(plcId).reason());
        long otherRead = status(otherPlcId).lastReadTs();
        Await.until(otherPlcId + " keeps reading meanwhile", WAIT, () -> status(otherPlcId).lastReadTs() > otherRead);
        assertEquals("CONNECTED", state(otherPlcId));

        Files.move(aside, driverJar, StandardCopyOption.ATOMIC_MOVE);
        Await.until(driver + " is back and active", WAIT, () -> bundle(driver).map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
        Await.until(plcId + " reconnects", WAIT, () -> "CONNECTED".equals(state(plcId)));
        long lastRead = status(plcId).lastReadTs();
        Await.until(plcId + " polls again", WAIT, () -> status(plcId).lastReadTs() > lastRead);
        assertTrue(otherPlcId + " was not disturbed", "CONNECTED".equals(state(otherPlcId)));
    }

    private void awaitRegistry() {
        Await.until("the PLC registry is up", WAIT, () -> context.getServiceReference("site.gateway.api.plc.PlcRegistry") != null);
    }

    /** The probe cannot link to the API bundle FileInstall installs later: the status is read reflectively. */
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
        return new Status(s.getClass().getMethod("state").invoke(s).toString(), (String) s.getClass().getMethod("reason").invoke(s),
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
