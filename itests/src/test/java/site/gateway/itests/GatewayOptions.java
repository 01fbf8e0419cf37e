package site.gateway.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * Boots Felix the way the distribution does: the runtime bundles of {@code system/} at the start levels
 * of {@code etc/startlevels.properties}, and FileInstall watching a fresh home whose {@code conf/} and
 * {@code deploy/} start as the distribution's.
 */
public final class GatewayOptions {
    public static final Path DIST = Path.of(System.getProperty("gateway.dist", "../runtime/target/gateway"))
            .toAbsolutePath().normalize();

    private GatewayOptions() {
    }

    /** Creates a new gateway home and returns the options that boot the gateway on it. */
    public static Option gateway(Path home) {
        try {
            for (String folder : List.of("conf", "deploy", "data", "logs", "certs")) {
                Files.createDirectories(home.resolve(folder));
            }
            copyAll(DIST.resolve("conf"), home.resolve("conf"));
            copyAll(DIST.resolve("deploy"), home.resolve("deploy"));
            // A free port, so a developer's running gateway does not get in the way.
            Files.writeString(home.resolve("conf/org.apache.felix.http.cfg"),
                    "org.osgi.service.http.port = 0\norg.apache.felix.http.host = 127.0.0.1\n");
            List<Option> options = new ArrayList<>();
            options.add(systemProperty("gateway.home").value(home.toString()));
            options.add(systemProperty("logback.configurationFile").value(DIST.resolve("etc/logback.xml").toString()));
            // As etc/framework.properties: one watch on conf/ then deploy/.
            options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("conf") + "," + home.resolve("deploy")));
            options.add(frameworkProperty("felix.fileinstall.filter").value(".*\\.(cfg|config|jar)"));
            options.add(frameworkProperty("felix.fileinstall.poll").value("200"));
            options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
            options.add(frameworkProperty("felix.fileinstall.start.level").value("4"));
            options.add(frameworkProperty("felix.fileinstall.bundles.updateWithListeners").value("true"));
            options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false")); // as the distribution
            options.add(frameworkProperty("org.osgi.service.http.port").value("0"));
            options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
            options.add(frameworkStartLevel(5));
            options.add(junitBundles());
            options.addAll(systemBundles());
            return composite(options.toArray(new Option[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Option> systemBundles() throws IOException {
        Properties levels = new Properties();
        try (Reader in = Files.newBufferedReader(DIST.resolve("etc/startlevels.properties"))) {
            levels.load(in);
        }
        List<Option> options = new ArrayList<>();
        try (Stream<Path> jars = Files.list(DIST.resolve("system"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                String name = symbolicName(jar);
                options.add(bundle(jar.toUri().toString()).startLevel(levelOf(levels, name)).start(!isFragment(jar)));
            }
        }
        return options;
    }

    private static int levelOf(Properties levels, String symbolicName) {
        for (String key : levels.stringPropertyNames()) {
            if (!key.chars().allMatch(Character::isDigit)) { // "default", "deferred"
                continue;
            }
            for (String glob : levels.getProperty(key).split(",")) {
                if (symbolicName.matches(glob.trim().replace(".", "\\.").replace("*", ".*"))) {
                    return Integer.parseInt(key);
                }
            }
        }
        return Integer.parseInt(levels.getProperty("default", "2"));
    }

    /** Symbolic names of the bundle jars in a folder. */
    public static List<String> symbolicNames(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> jars = Files.list(folder)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                names.add(symbolicName(jar));
            }
        }
        return names;
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
        }
    }

    private static boolean isFragment(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        }
    }

    private static void copyAll(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
