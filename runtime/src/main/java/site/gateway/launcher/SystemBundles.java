package site.gateway.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Installs the runtime bundles of {@code system/} at the start levels of
 * {@code etc/startlevels.properties} (symbolic-name globs; logging first, FileInstall last), so that
 * nothing logs before the SLF4J provider is there and nothing is deployed before the runtime is up. The
 * {@code deferred} bundles are installed but left for another bundle to start.
 */
final class SystemBundles {
    private final Path folder;
    private final Map<Pattern, Integer> levels = new java.util.LinkedHashMap<>();
    private final List<Pattern> deferred = new java.util.ArrayList<>();
    private final int defaultLevel;

    SystemBundles(Path folder, Path startLevels) throws IOException {
        this.folder = folder;
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(startLevels)) {
            properties.load(in);
        }
        this.defaultLevel = Integer.parseInt(properties.getProperty("default", "2"));
        for (String key : new TreeMap<>(Map.copyOf(properties)).keySet().stream().map(Object::toString).toList()) {
            if (key.equals("deferred")) {
                globs(properties.getProperty(key)).forEach(deferred::add);
            } else if (!key.equals("default")) {
                int level = Integer.parseInt(key.trim());
                globs(properties.getProperty(key)).forEach(glob -> levels.put(glob, level));
            }
        }
    }

    private static List<Pattern> globs(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(glob -> !glob.isEmpty())
                .map(glob -> Pattern.compile(glob.replace(".", "\\.").replace("*", ".*"))).toList();
    }

    void install(BundleContext context) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            String symbolicName;
            boolean fragment;
            try (JarFile file = new JarFile(jar.toFile())) {
                var attributes = file.getManifest().getMainAttributes();
                symbolicName = attributes.getValue(Constants.BUNDLE_SYMBOLICNAME).split(";")[0].trim();
                fragment = attributes.getValue(Constants.FRAGMENT_HOST) != null;
            }
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(levelOf(symbolicName));
            // Deferred bundles are started by another bundle (Felix HTTP by site.gateway.http-starter).
            if (!fragment && deferred.stream().noneMatch(glob -> glob.matcher(symbolicName).matches())) {
                bundle.start();
            }
        }
    }

    private int levelOf(String symbolicName) {
        return levels.entrySet().stream()
                .filter(e -> e.getKey().matcher(symbolicName).matches())
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(defaultLevel);
    }
}
