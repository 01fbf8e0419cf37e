package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;


/** The runtime foundation (issue 2): bundles active, live configuration, hot bundle update. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeFoundationIT {
    /** Set by the configuration; read through the system property because the probe is a separate class loader. */
    private static final Path HOME = Path.of(System.getProperty("gateway.home", "not-configured"));
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    private BundleContext context;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return new Option[] {GatewayOptions.gateway(newHome())};
    }

    /** The api bundle comes from deploy/ through FileInstall, after the probe started: wait for it. */
    @Before
    public void gatewayBundlesAreUp() {
        Await.until("site.gateway.api and site.gateway.core are active", WAIT,
                () -> state("site.gateway.api") == Bundle.ACTIVE && state("site.gateway.core") == Bundle.ACTIVE);
    }

    @Test
    public void everyBundleResolvesAndIsActive() throws IOException {
        List<String> deployed = GatewayOptions.symbolicNames(HOME.resolve("deploy"));
        assertTrue("deploy/ holds the gateway bundles", deployed.contains("site.gateway.core"));
        Await.until("the deployed bundles are installed", WAIT, () -> deployed.stream().allMatch(this::installed));
        Await.until("every bundle is ACTIVE (or lazily STARTING): " + notActive(), WAIT, () -> notActive().isEmpty());
        assertTrue("gateway core is installed from deploy/", installed("site.gateway.core"));
    }

    @Test
    public void cfgFileReachesItsComponentAndChangesApplyLive() throws IOException {
        long frameworkStart = context.getBundle(0).getLastModified();
        writeCfgAndAwaitItsEvent("gateway.identity.cfg", "tenantId = acme\ngatewayId = gw-live-1\n");
        Await.until("the identity follows the file", WAIT, () -> "gw-live-1".equals(gatewayId()));
        assertEquals("acme", tenantId());

        writeCfg("gateway.identity.cfg", "tenantId = acme\ngatewayId = gw-live-2\n");
        Await.until("a changed value is applied", WAIT, () -> "gw-live-2".equals(gatewayId()));
        assertEquals("the framework was not restarted", frameworkStart, context.getBundle(0).getLastModified());
    }

    @Test
    public void keyRemovedFromCfgIsRemovedFromTheConfiguration() throws Exception {
        writeCfgAndAwaitItsEvent("gateway.identity.cfg", "tenantId = removable\ngatewayId = gw-keys\n");
        Await.until("tenantId applied", WAIT, () -> "removable".equals(tenantId()));

        writeCfg("gateway.identity.cfg", "gatewayId = gw-keys\n");
        Await.until("the component falls back to the default tenant", WAIT,
                () -> "demo-tenant".equals(tenantId()));
        Dictionary<String, Object> properties = configuration("gateway.identity").getProperties();
        assertEquals("FELIX-5133: the removed key is gone from Config Admin", null, properties.get("tenantId"));
    }

    @Test
    public void invalidValueIsLoggedAndTheLastGoodConfigurationStays() throws Exception {
        writeCfgAndAwaitItsEvent("gateway.identity.cfg", "tenantId = good-tenant\ngatewayId = gw-valid\n");
        Await.until("valid identity applied", WAIT, () -> "good-tenant".equals(tenantId()));

        writeCfg("gateway.identity.cfg", "tenantId = not a valid id!\ngatewayId = gw-valid\n");
        Await.until("Config Admin holds the invalid value", WAIT,
                () -> "not a valid id!".equals(configuration("gateway.identity").getProperties().get("tenantId")));
        Path log = HOME.resolve("logs/gateway.log");
        Await.until("a clear error is logged", WAIT, () -> Files.readString(log, StandardCharsets.UTF_8)
                .contains("Invalid configuration gateway.identity: tenantId must match"));
        assertEquals("the last good value stays in force", "good-tenant", tenantId());
    }

    /**
     * A value of the wrong type ("lots" for a number) fails in Felix SCR's conversion with a
     * ComponentException, not an IllegalArgumentException: the buffer must log it and keep running
     * with its last good settings, not be reactivated (its service would then be registered anew).
     */
    @Test
    public void wronglyTypedBufferValueIsLoggedAndTheBufferKeepsRunning() throws Exception {
        writeCfgAndAwaitItsEvent("gateway.buffer.cfg", "maxBytes = 67108864\n");
        Await.until("the outbox is registered", WAIT, () -> outboxServiceId() != null);
        Long before = outboxServiceId();

        writeCfgAndAwaitItsEvent("gateway.buffer.cfg", "maxBytes = lots\n");
        Path log = HOME.resolve("logs/gateway.log");
        Await.until("a clear error is logged", WAIT, () -> Files.readString(log, StandardCharsets.UTF_8)
                .contains("Invalid configuration gateway.buffer"));
        assertEquals("the same outbox service stays registered (no deactivation)", before, outboxServiceId());
    }

    private Long outboxServiceId() {
        ServiceReference<?> ref = context.getServiceReference("site.gateway.api.outbox.Outbox");
        return ref == null ? null : (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    @Test
    public void bundleJarDroppedUpdatedAndDeletedInDeploy() throws Exception {
        Path deployed = HOME.resolve("deploy/site.gateway.core.jar");
        Await.until("core is active", WAIT, () -> state("site.gateway.core") == Bundle.ACTIVE);
        // The updated core starts its identity from the configuration then in force: a valid one, since another
        // test may have left an invalid value, which by design keeps the identity out of service (issue 17.3).
        writeCfgAndAwaitItsEvent("gateway.identity.cfg", "tenantId = acme\ngatewayId = gw-updated\n");
        Await.until("a valid identity is in force", WAIT, () -> "gw-updated".equals(gatewayId()));
        Bundle before = find("site.gateway.core");

        replaceAtomically(deployed, withVersion(deployed, "9.9.9"));
        Await.until("the bundle is updated in place", WAIT,
                () -> "9.9.9".equals(find("site.gateway.core").getVersion().toString()));
        Bundle after = find("site.gateway.core");
        assertEquals("same bundle, updated, not a second install", before.getBundleId(), after.getBundleId());
        Await.until("updated core is active and serving", WAIT,
                () -> after.getState() == Bundle.ACTIVE && gatewayId() != null);

        Path extra = HOME.resolve("deploy/itest.dropin.jar");
        replaceAtomically(extra, tinyBundle("itest.dropin", "1.0.0"));
        Await.until("a dropped jar is installed and started", WAIT, () -> state("itest.dropin") == Bundle.ACTIVE);
        Files.delete(extra);
        Await.until("a deleted jar is uninstalled", WAIT, () -> !installed("itest.dropin"));
    }

    @Test
    public void anEditMadeThroughConfigAdminIsWrittenBackToItsCfgFileAndADeletionRemovesTheFile() throws Exception {
        Path file = HOME.resolve("conf/gateway.heartbeat.cfg");
        Await.until("the shipped heartbeat configuration is loaded", WAIT,
                () -> configurations("gateway.heartbeat").length == 1);
        Configuration heartbeat = configuration("gateway.heartbeat");
        Dictionary<String, Object> properties = heartbeat.getProperties();
        properties.put("intervalOverrideSeconds", 7); // as the web console's form would
        heartbeat.update(properties);

        Await.until("the value is in the file", WAIT,
                () -> Files.readString(file, StandardCharsets.ISO_8859_1).contains("intervalOverrideSeconds = 7"));
        assertTrue("the file's comments stay", Files.readString(file, StandardCharsets.ISO_8859_1).contains("#outageGraceMs"));

        writeCfgAndAwaitItsEvent("itest.sample.cfg", "colour = blue\n");
        configuration("itest.sample").delete();
        Await.until("deleting the configuration deletes its file", WAIT,
                () -> !Files.exists(HOME.resolve("conf/itest.sample.cfg")));
    }

    // --- helpers -----------------------------------------------------------------------------

    private String tenantId() {
        String[] identity = IdentityProbe.read(context);
        return identity == null ? null : identity[0];
    }

    private String gatewayId() {
        String[] identity = IdentityProbe.read(context);
        return identity == null ? null : identity[1];
    }

    private Configuration configuration(String pid) throws IOException {
        Configuration[] found = configurations(pid);
        assertTrue("configuration " + pid + " exists", found.length == 1);
        return found[0];
    }

    private Configuration[] configurations(String pid) throws IOException {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        try {
            Configuration[] found = context.getService(ref).listConfigurations("(service.pid=" + pid + ")");
            return found == null ? new Configuration[0] : found;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a .cfg and waits until Config Admin has announced the update, so that the next edit is a
     * separate change (the core bundle's ConfFileWriter, another listener, may handle the same event
     * after ours: it must then leave the newer file alone, which {@code invalidValue…} relies on).
     */
    private void writeCfgAndAwaitItsEvent(String name, String content) throws IOException {
        java.util.concurrent.atomic.AtomicInteger updates = new java.util.concurrent.atomic.AtomicInteger();
        var registration = context.registerService(org.osgi.service.cm.ConfigurationListener.class, event -> {
            if (event.getPid().equals(name.replace(".cfg", "")) && event.getType() == org.osgi.service.cm.ConfigurationEvent.CM_UPDATED) {
                updates.incrementAndGet();
            }
        }, null);
        try {
            writeCfg(name, content);
            Await.until("Config Admin announced the update of " + name, WAIT, () -> updates.get() > 0);
        } finally {
            registration.unregister();
        }
    }

    private void writeCfg(String name, String content) throws IOException {
        ConfFiles.replace(HOME, name, content);
    }

    private static void replaceAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(HOME.resolve("data"), "bundle", ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The same jar with another Bundle-Version, as a newer build dropped over the old file. */
    private static byte[] withVersion(Path jar, String version) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue(Constants.BUNDLE_VERSION, version);
            try (JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                    jarOut.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(jarOut);
                    jarOut.closeEntry();
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] tinyBundle(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        main.putValue(Constants.BUNDLE_VERSION, version);
        var out = new java.io.ByteArrayOutputStream();
        try (OutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    private Bundle find(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(symbolicName + " not installed"));
    }

    private boolean installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).anyMatch(b -> symbolicName.equals(b.getSymbolicName()));
    }

    /** The bundle's state, or 0 when it is not installed. */
    private int state(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .mapToInt(Bundle::getState).findFirst().orElse(0);
    }

    private String notActive() {
        return Arrays.stream(context.getBundles())
                .filter(b -> b.getHeaders().get(Constants.FRAGMENT_HOST) == null)
                .filter(b -> b.getState() != Bundle.ACTIVE && !waitsForLazyActivation(b))
                .map(b -> b.getSymbolicName() + "=" + b.getState())
                .collect(Collectors.joining(", "));
    }

    /** A bundle with a lazy activation policy stays STARTING until one of its classes is loaded. */
    private static boolean waitsForLazyActivation(Bundle bundle) {
        String policy = bundle.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY);
        return bundle.getState() == Bundle.STARTING && policy != null && policy.startsWith(Constants.ACTIVATION_LAZY);
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("gateway-itest-home");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
