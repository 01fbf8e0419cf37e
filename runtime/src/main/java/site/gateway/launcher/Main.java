package site.gateway.launcher;

import java.nio.file.Path;
import java.util.Map;

import sun.misc.Signal;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts the gateway: prepares GATEWAY_HOME, starts Felix with the runtime bundles of {@code system/}
 * at their start levels, and lets FileInstall take {@code conf/} and {@code deploy/} from there.
 * SIGTERM stops the framework (components deactivated, stores closed) and exits 0.
 */
public final class Main {
    private static final long STOP_TIMEOUT_MS = 10_000;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path distribution = Path.of(required("gateway.distribution")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("gateway.home", distribution.toString())).toAbsolutePath().normalize();

        GatewayHome.prepare(distribution, home);
        Map<String, String> properties = FrameworkProperties.load(distribution, home);
        DeployWatch.dedupe(properties, home).ifPresent(file -> {
            // The core bundle repeats this in logs/gateway.log, where an operator looks.
            properties.put("gateway.deploy.watcher", "conf/" + file);
            System.out.println("gateway: conf/" + file + " watches deploy/ (set up by an earlier version);"
                    + " the built-in watch leaves deploy/ to it");
        });
        System.setProperty("gateway.home", home.toString());

        FrameworkFactory factory = java.util.ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Framework framework = factory.newFramework(properties);
        framework.init();
        new SystemBundles(distribution.resolve("system"), distribution.resolve("etc/startlevels.properties"))
                .install(framework.getBundleContext());
        // SIGTERM and Ctrl-C stop the framework; main then sees it stopped and exits 0 (a plain
        // shutdown hook would leave the JVM's exit status at 143).
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> new Thread(() -> stop(framework), "gateway-stop").start());
        }
        framework.start();
        framework.waitForStop(0);
        System.exit(0);
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MS);
        } catch (BundleException | InterruptedException e) {
            System.err.println("gateway: stop failed: " + e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is required (set by bin/gateway)");
        }
        return value;
    }

}
