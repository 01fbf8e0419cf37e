package site.gateway.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.crypto.CommandKeys;
import site.gateway.support.config.ConfigGate;

/**
 * The WMS command-signing keys (Ed25519) from {@code commandKeys} in {@code gateway.crypto}: a folder of
 * {@code <kid>.pem} files or a comma-separated list of files. Reloaded when the files change; a bad file
 * is logged once and left out, the others stay usable. The configuration goes through the same
 * {@link ConfigGate} policy as the TLS context's.
 */
@Component(service = CommandKeys.class, configurationPid = CryptoConfig.PID)
public class CommandKeysComponent implements CommandKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CommandKeysComponent.class);
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    private final ConfigGate<Settings> gate = new ConfigGate<>(CryptoConfig.PID, LOG, reason -> {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(TlsContextComponent.ACTOR, "config.rejected", CryptoConfig.PID, "rejected",
                    Map.of("reason", reason, "component", "command keys"));
        }
    });
    private final PemCodec codec = new PemCodec();
    private final GatewayPaths paths;
    private volatile Map<String, PublicKey> keys = Map.of();
    private List<Path> sources = List.of();
    private String lastState;
    private final ComponentThread poller = new ComponentThread("gateway-command-keys");
    private ScheduledFuture<?> pollTask;

    public CommandKeysComponent() {
        this(GatewayPaths.fromSystem());
    }

    CommandKeysComponent(GatewayPaths paths) {
        this.paths = paths;
    }

    @Activate
    @Modified
    synchronized void configure(CryptoConfig config) {
        Settings settings = gate.settings(pollTask == null, () -> Settings.of(config, paths)).orElse(null);
        if (settings == null) {
            return;
        }
        sources = settings.commandKeys();
        lastState = null;
        reload();
        if (pollTask != null) {
            pollTask.cancel(false);
        }
        long interval = settings.pollIntervalMs();
        pollTask = poller.get().scheduleWithFixedDelay(this::reload, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.stop();
    }

    @Override
    public Optional<PublicKey> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** The kids loaded now, sorted. */
    public List<String> kids() {
        return List.copyOf(keys.keySet());
    }

    synchronized void reload() {
        try {
            List<Path> files = files();
            String state = state(files);
            if (state.equals(lastState)) {
                return;
            }
            lastState = state;
            Map<String, PublicKey> loaded = new TreeMap<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                String kid = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
                if (!KID.matcher(kid).matches()) {
                    LOG.error("Command key file {} ignored: kid '{}' is not [A-Za-z0-9._-]{{1,64}}", f, kid);
                    continue;
                }
                try {
                    loaded.put(kid, codec.ed25519PublicKey(Files.readString(f, StandardCharsets.US_ASCII), "command key " + f));
                } catch (java.nio.file.NoSuchFileException e) {
                    LOG.warn("Command key location {} does not exist: no signed command can be verified with it", f);
                } catch (IOException | CryptoException e) {
                    LOG.error("Command key file {} ignored: {}", f, e.getMessage());
                }
            }
            if (!loaded.keySet().equals(keys.keySet()) || !loaded.equals(keys)) {
                LOG.info("Command-signing keys loaded: {}", loaded.keySet());
                AuditTrail trail = audit;
                if (trail != null) {
                    trail.record(TlsContextComponent.ACTOR, "crypto.command-keys-loaded", String.join(",", loaded.keySet()),
                            "ok", Map.of("count", loaded.size()));
                }
            }
            keys = Map.copyOf(loaded);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error while loading the command keys", e);
        }
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path p : sources) {
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(p, "*.pem")) {
                    dir.forEach(files::add);
                } catch (IOException e) {
                    LOG.error("Cannot list the command key folder {}: {}", p, e.getMessage());
                }
            } else {
                files.add(p);
            }
        }
        files.sort(null);
        return files;
    }

    private static String state(List<Path> files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(f).append('|');
            try {
                sb.append(Files.getLastModifiedTime(f).toMillis()).append('|').append(Files.size(f))
                        .append('|').append(java.util.Arrays.hashCode(Files.readAllBytes(f)));
            } catch (IOException e) {
                sb.append("missing");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
