package site.gateway.core.conf;

import java.io.IOException;
import java.lang.reflect.Array;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a configuration changed elsewhere (web console, a WMS {@code config} command) back into the
 * {@code conf/*.cfg} file it came from, so the file stays the source of truth across restarts, and
 * deletes the file when the configuration is deleted.
 *
 * <p>This replaces FileInstall's own write-back ({@code felix.fileinstall.enableConfigSave=false}),
 * which truncates the file and rewrites it in place: when that thread stalls for longer than one poll
 * interval between the two (a loaded machine), FileInstall's scanner reads the empty file as the new
 * configuration, and the next write-back makes the loss permanent (seen: the deploy/ watcher's file
 * emptied, so no bundle was installed). Here the new text goes to a temporary file that is renamed over
 * the old one, so a reader sees the old file or the new one, never a partial one; nothing is written
 * when the file already says what the configuration holds.
 *
 * <p>The file wins over a stale event: events arrive after the fact, so a change event may be handled
 * after the operator has already edited the file again. The writer remembers, per configuration, the
 * file's modification time when file and configuration last agreed; if the file changed since, it is
 * newer than the event and FileInstall applies it; nothing is written.
 */
@Component(immediate = true)
public class ConfFileWriter implements ConfigurationListener {
    static final String FILENAME = "felix.fileinstall.filename";
    private static final Logger LOG = LoggerFactory.getLogger(ConfFileWriter.class);
    /** Kept by Config Admin or FileInstall; never written to a file. */
    private static final Set<String> INTERNAL = Set.of(Constants.SERVICE_PID, ConfigurationAdmin.SERVICE_FACTORYPID,
            ConfigurationAdmin.SERVICE_BUNDLELOCATION, FILENAME);

    private final ConfigurationAdmin admin;
    /** pid → its file, so that a deletion (whose event no longer has the properties) finds the file. */
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    /** pid → the file's modification time when file and configuration last agreed. */
    private final Map<String, Long> agreedAt = new ConcurrentHashMap<>();

    @Activate
    public ConfFileWriter(@Reference ConfigurationAdmin admin) {
        this.admin = admin;
        try {
            Configuration[] all = admin.listConfigurations("(" + FILENAME + "=*)");
            if (all != null) {
                for (Configuration c : all) {
                    updated(c.getPid(), c.getProperties()); // learns which files agree; writes nothing new
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.warn("Cannot list the configurations that come from files: {}", e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        try {
            if (event.getType() == ConfigurationEvent.CM_UPDATED) {
                Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + event.getPid() + ")");
                if (found != null && found.length == 1) {
                    updated(event.getPid(), found[0].getProperties());
                }
            } else if (event.getType() == ConfigurationEvent.CM_DELETED) {
                deleted(event.getPid());
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.error("Could not write configuration {} back to its file: {}", event.getPid(), e.toString());
        }
    }

    /** Writes the properties into the configuration's file, if it has one and it says something else. */
    void updated(String pid, Dictionary<String, Object> properties) throws IOException {
        Path file = fileOf(properties);
        if (file == null || !file.getFileName().toString().endsWith(".cfg")) {
            return; // not from a .cfg file (FileInstall's typed .config format is not written here)
        }
        files.put(pid, file);
        if (!Files.isRegularFile(file)) {
            return; // deleted meanwhile: FileInstall deletes the configuration next
        }
        long modified = Files.getLastModifiedTime(file).toMillis();
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        String merged = CfgText.merge(text, values(properties));
        if (merged.equals(text)) {
            agreedAt.put(pid, modified);
            return;
        }
        Long agreed = agreedAt.get(pid);
        if (agreed == null || agreed != modified) {
            LOG.debug("Configuration {}: {} changed since they last agreed; the file is newer and wins", pid, file);
            return;
        }
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, merged, StandardCharsets.ISO_8859_1);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        agreedAt.put(pid, Files.getLastModifiedTime(file).toMillis());
        LOG.info("Configuration {} written back to {}", pid, file);
    }

    /** The configuration was deleted: so is its file, or it would come back at the next start. */
    void deleted(String pid) throws IOException {
        Long agreed = agreedAt.remove(pid);
        Path file = files.remove(pid);
        if (file == null || !Files.exists(file)) {
            return;
        }
        if (agreed == null || agreed != Files.getLastModifiedTime(file).toMillis()) {
            LOG.info("Configuration {} deleted, but {} was written since: kept (FileInstall applies it)", pid, file);
            return;
        }
        Files.deleteIfExists(file);
        LOG.info("Configuration {} deleted: {} removed", pid, file);
    }

    private static Path fileOf(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get(FILENAME);
        if (name == null) {
            return null;
        }
        String s = name.toString();
        return s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
    }

    /** The configuration's own keys as the strings a .cfg holds, sorted (new keys are appended in order). */
    static Map<String, String> values(Dictionary<String, Object> properties) {
        Map<String, String> out = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (!INTERNAL.contains(key)) {
                out.put(key, text(properties.get(key)));
            }
        }
        return out;
    }

    /** A .cfg has no types: scalars as written, arrays and collections comma-separated. */
    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < Array.getLength(value); i++) {
                b.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
            return b.toString();
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value.toString();
    }
}
