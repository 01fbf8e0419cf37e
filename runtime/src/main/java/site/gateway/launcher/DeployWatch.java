package site.gateway.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Keeps {@code deploy/} watched exactly once. The built-in FileInstall watch ({@code felix.fileinstall.dir}
 * in {@code etc/framework.properties}) covers {@code conf/} and {@code deploy/}; a home set up by an
 * earlier version may still hold {@code conf/org.apache.felix.fileinstall-<name>.cfg} watching
 * {@code deploy/}. That file then stays in charge of {@code deploy/} (with its own poll and start level)
 * and the built-in watch leaves the folder out: two watchers on one folder would install every bundle
 * twice over and fight over updates.
 */
final class DeployWatch {
    static final String DIRS = "felix.fileinstall.dir";
    private static final String GLOB = "org.apache.felix.fileinstall-*.{cfg,config}";

    private DeployWatch() {
    }

    /**
     * Removes from the built-in watch every folder that a FileInstall configuration in {@code conf/}
     * watches already; returns the name of the file that took a folder over, if any.
     */
    static Optional<String> dedupe(Map<String, String> properties, Path home) throws IOException {
        String dirs = properties.get(DIRS);
        Path conf = home.resolve("conf");
        if (dirs == null || !Files.isDirectory(conf)) {
            return Optional.empty();
        }
        List<String> kept = new ArrayList<>();
        String takenBy = null;
        for (String dir : dirs.split(",")) {
            String owner = watcherOf(conf, home, home.resolve(dir.trim()).normalize());
            if (owner == null) {
                kept.add(dir.trim());
            } else {
                takenBy = owner;
            }
        }
        if (takenBy != null) {
            properties.put(DIRS, String.join(",", kept));
        }
        return Optional.ofNullable(takenBy);
    }

    private static String watcherOf(Path conf, Path home, Path folder) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(conf, GLOB)) {
            for (Path file : files) {
                Properties cfg = new Properties();
                try (Reader in = Files.newBufferedReader(file)) {
                    cfg.load(in);
                }
                String dir = cfg.getProperty(DIRS);
                // Relative paths in .cfg files are relative to the home (bin/gateway runs there).
                if (dir != null && home.resolve(dir.trim()).normalize().equals(folder)) {
                    return file.getFileName().toString();
                }
            }
        }
        return null;
    }
}
