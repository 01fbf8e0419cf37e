package site.gateway.console.security;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditTrail;

/**
 * No working default password for the web console (it can install bundles, that is run code with
 * access to the key and its passphrase). When the console's configuration has no password, or one that
 * accepts {@code admin}, a random password is generated: its hash goes into the configuration and its
 * {@code conf/} file (mode 0600), the clear text once into {@code data/console-initial-password} (mode
 * 0600), named in the log. A password an operator chose is left as it is. Checked at start and after
 * every change of the configuration, so {@code admin} cannot be configured back.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public class ConsolePasswordGuard implements ConfigurationListener {
    public static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String SECRET_FILE = "data/console-initial-password";
    private static final String FILENAME = "felix.fileinstall.filename";
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePasswordGuard.class);

    private final ConfigurationAdmin admin;
    private final Path home;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    @Activate
    public ConsolePasswordGuard(@Reference ConfigurationAdmin admin) {
        this(admin, Path.of(System.getProperty("gateway.home", "")).toAbsolutePath());
    }

    ConsolePasswordGuard(ConfigurationAdmin admin, Path home) {
        this.admin = admin;
        this.home = home;
    }

    @Activate
    void activate() {
        LOG.info("Web console password guard active (home {})", home);
        ensure();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (PID.equals(event.getPid()) && event.getType() != ConfigurationEvent.CM_LOCATION_CHANGED) {
            ensure();
        }
    }

    /** Replaces a missing or default password; true when it did. */
    synchronized boolean ensure() {
        try {
            Configuration configuration = admin.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = configuration.getProperties();
            Object current = properties == null ? null : properties.get("password");
            if (!ConsolePasswords.isMissingOrDefault(current == null ? null : current.toString())) {
                LOG.debug("Web console: an operator's password is configured; kept as it is");
                return false;
            }
            String reason = current == null || current.toString().isBlank() ? "no password was configured"
                    : current.toString().trim().equals(ConsolePasswords.LOCKED) ? "the shipped configuration has no password yet"
                    : "the configured password is the default 'admin', which is refused";
            Object user = properties == null ? null : properties.get("username");
            String username = user == null || user.toString().isBlank() ? "admin" : user.toString();
            String clear = ConsolePasswords.generate();
            String hashed = ConsolePasswords.hash(clear);

            Path secret = home.resolve(SECRET_FILE);
            writeOwnerOnly(secret, ("# Web console user '" + username + "'. Read it, keep it safe, delete this file.\n"
                    + clear + "\n").getBytes(StandardCharsets.UTF_8));
            Path cfg = cfgFile(properties);
            String text = Files.exists(cfg) ? Files.readString(cfg, StandardCharsets.ISO_8859_1) : "";
            writeOwnerOnly(cfg, withPassword(text, username, hashed).getBytes(StandardCharsets.ISO_8859_1));

            Dictionary<String, Object> updated = new Hashtable<>();
            if (properties != null) {
                for (var keys = properties.keys(); keys.hasMoreElements();) {
                    String key = keys.nextElement();
                    updated.put(key, properties.get(key));
                }
            }
            updated.put("username", username);
            updated.put("password", hashed);
            configuration.update(updated);

            // A first start of a shipped home is normal (INFO: a healthy start logs no WARN, issue 19);
            // replacing a password an operator configured is not.
            boolean firstStart = current == null || current.toString().isBlank()
                    || current.toString().trim().equals(ConsolePasswords.LOCKED);
            String notice = "Web console: {}; a random password was generated for user '{}'. It is in {} (mode 0600): read it, "
                    + "then delete the file. Its hash is in {}.";
            if (firstStart) {
                LOG.info(notice, reason, username, secret, cfg);
            } else {
                LOG.warn(notice, reason, username, secret, cfg);
            }
            AuditTrail trail = audit;
            if (trail != null) {
                trail.record("system", "console.password-generated", PID, "ok",
                        Map.of("reason", reason, "user", username, "file", secret.toString()));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("Web console: cannot replace a missing or default password: {}", e.toString());
            return false;
        }
    }

    private Path cfgFile(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get(FILENAME);
        if (name != null) {
            String s = name.toString();
            return s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
        }
        return home.resolve("conf").resolve(PID + ".cfg");
    }

    /** The .cfg text with every live {@code password} line replaced by the hashed one; the rest unchanged. */
    static String withPassword(String text, String username, String hashed) {
        List<String> out = new ArrayList<>();
        boolean hasUser = false;
        for (String line : text.split("\n", -1)) {
            String key = key(line);
            if ("password".equals(key)) {
                continue;
            }
            hasUser |= "username".equals(key);
            out.add(line);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        if (!hasUser) {
            out.add("username = " + username);
        }
        out.add("# Generated by the gateway (hash of a random password, see README \"Web console\"):");
        out.add("password = " + hashed);
        return String.join("\n", out) + "\n";
    }

    private static String key(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
            return null;
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(line));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return p.stringPropertyNames().stream().findFirst().orElse(null);
    }

    /** Atomically, created 0600 from the start (never chmod-ed later). */
    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
