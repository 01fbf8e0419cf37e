package site.gateway.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.Severity;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.config.Require;

/**
 * The {@link AuditTrail} service. A configuration change starts a new writer after the old one has
 * written what it held (the chain continues from the files). An invalid first configuration keeps the
 * trail out of service; an invalid change is logged and audited, and the last good one stays in force
 * ({@link ConfigGate}).
 */
@Component(service = AuditTrail.class, configurationPid = AuditConfig.PID)
@Designate(ocd = AuditConfig.class)
public class AuditTrailComponent implements AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrailComponent.class);
    static final String HOME_PROPERTY = "gateway.home";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Alerts alerts;

    private final String home;
    /** The shipped {@link AuditConfig#macKeyFile()}. */
    static final String DEFAULT_MAC_KEY = "certs/audit-mac.key";

    private volatile Path createdKey;

    private final ConfigGate<AuditWriter.Settings> gate = new ConfigGate<>(AuditConfig.PID, LOG, this::rejected);
    private AuditWriter.Settings settings;
    private volatile AuditWriter writer;

    @Activate
    public AuditTrailComponent(BundleContext context, AuditConfig config) {
        this(context == null ? System.getProperty(HOME_PROPERTY) : context.getProperty(HOME_PROPERTY), config);
    }

    AuditTrailComponent(String home, AuditConfig config) {
        this.home = home;
        create(gate.first(() -> settings(config))).start();
        recordCreatedKey();
    }

    @Modified
    void modified(AuditConfig config) {
        gate.check(() -> settings(config), String.valueOf(settings)).ifPresent(this::apply);
    }

    private void apply(AuditWriter.Settings next) {
        synchronized (this) {
            if (next.equals(settings)) {
                return;
            }
            AuditWriter old = writer;
            AuditWriter created = create(next);
            old.close(); // writes what it held; only then may the new writer open the files
            created.start();
        }
        recordCreatedKey();
        LOG.info("Audit trail settings now {}", next);
    }

    /** Records a rejected configuration in this trail; an invalid first one has no trail to go to. */
    private void rejected(String reason) {
        if (writer != null) {
            record("system", "config.rejected", AuditConfig.PID, "rejected", Map.of("reason", reason));
        }
    }

    @Deactivate
    synchronized void deactivate() {
        writer.close();
    }

    @Override
    public void record(AuditEvent event) {
        if (event != null) {
            writer.submit(event);
        }
    }

    @Override
    public java.util.Optional<site.gateway.api.audit.AuditHead> head() {
        AuditWriter w = writer;
        return w == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(w.synced());
    }

    @Override
    public java.util.Optional<String> problem() {
        AuditWriter w = writer;
        return w == null ? java.util.Optional.of("the audit writer is not running") : java.util.Optional.ofNullable(w.problem());
    }

    AuditWriter writer() {
        return writer;
    }

    /** Creates the writer that takes new entries from now on; it opens the files when started. */
    private synchronized AuditWriter create(AuditWriter.Settings next) {
        AuditWriter created = new AuditWriter(next, this::degraded);
        writer = created;
        settings = next;
        return created;
    }

    void degraded(String reason, boolean writeFailure) {
        Alerts target = alerts;
        if (target != null) {
            target.raise(new Alert(writeFailure ? Severity.CRITICAL : Severity.WARNING, "audit.degraded", reason,
                    null, Map.of("directory", settings.directory().toString())));
        }
    }

    private AuditWriter.Settings settings(AuditConfig c) {
        Require.notBlank("directory", c.directory());
        Require.atLeast("maxFileBytes", c.maxFileBytes(), 4096);
        if (c.maxFiles() < 0) {
            throw new IllegalArgumentException("maxFiles must be 0 (keep all) or more, got " + c.maxFiles());
        }
        Require.atLeast("queueCapacity", c.queueCapacity(), 1);
        if (c.syncIntervalMs() < 0 || c.retryMs() < 1) {
            throw new IllegalArgumentException("syncIntervalMs must be >= 0 and retryMs >= 1");
        }
        MacKey key = null;
        if (c.macKeyFile() != null && !c.macKeyFile().isBlank()) {
            try {
                key = macKey(resolve(c.macKeyFile()));
            } catch (IOException e) {
                throw new IllegalArgumentException("macKeyFile " + c.macKeyFile() + " cannot be used: " + e.getMessage());
            }
        }
        return new AuditWriter.Settings(resolve(c.directory()), c.maxFileBytes(), c.maxFiles(), c.queueCapacity(),
                c.syncIntervalMs(), c.retryMs(), key);
    }

    /** Loads the MAC key, creating it on first use; a creation is recorded once the writer runs. */
    private MacKey macKey(Path file) throws IOException {
        boolean existed = Files.exists(file);
        MacKey key = MacKey.loadOrCreate(file);
        if (!existed) {
            LOG.info("Audit MAC key created in {} (back it up with the certificates)", file);
            createdKey = file;
        }
        return key;
    }

    /** Records a key creation noted by {@link #macKey} (the writer did not exist yet then). */
    private void recordCreatedKey() {
        Path created = createdKey;
        if (created != null) {
            createdKey = null;
            record("system", "audit.key-created", created.toString(), "ok", Map.of("bytes", MacKey.BYTES));
        }
    }

    private Path resolve(String directory) {
        Path dir = Paths.get(directory);
        if (dir.isAbsolute()) {
            return dir.normalize();
        }
        Path base = home == null || home.isBlank() ? Paths.get("").toAbsolutePath() : Paths.get(home);
        return base.resolve(dir).toAbsolutePath().normalize();
    }
}
