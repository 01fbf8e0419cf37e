package site.gateway.crypto;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLContext;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.crypto.CommandKeys;
import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.api.crypto.TlsContextGeneration;
import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.wms.WmsCertificateVerdict;
import site.gateway.api.wms.WmsSessionOpen;
import site.gateway.crypto.rotation.CertificateRotator;
import site.gateway.crypto.rotation.PairRenewal;
import site.gateway.support.config.ConfigGate;

/**
 * The crypto bundle's one component for {@code gateway.crypto} (issue 17.3): validates the configuration once
 * ({@link ConfigGate}: an invalid first configuration keeps all three services out of service, an invalid
 * change keeps the last good settings in all three parts), runs the bundle's periodic work on one thread, and
 * offers the services of its parts: the TLS context ({@link ClientTlsContext}, with its
 * {@link TlsContextGeneration} marker) and the command keys ({@link CommandKeyFiles}); certificate rotation
 * ({@link CertificateRotator}) offers nothing. Services flow one way (issue 17.2): the transport watches the
 * marker and reconnects by itself; rotation uses the transport's {@link CsrSubmitter} and follows its markers
 * {@link WmsSessionOpen} and {@link WmsCertificateVerdict}. Those, and this component's marker, are registered
 * by hand with the bundle contexts, so there is no service cycle.
 */
@Component(service = {TlsContextProvider.class, CommandKeys.class}, configurationPid = CryptoConfig.PID, immediate = true)
@Designate(ocd = CryptoConfig.class)
public class CryptoComponent implements TlsContextProvider, CommandKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoComponent.class);
    static final String ALERT_DEVELOPMENT_MODE_REFUSED = "crypto.development-mode-refused";

    private final GatewayPaths paths;
    private final boolean developmentModeAllowed;
    private final CryptoReports reports = new CryptoReports();
    private final TlsGenerationMarker marker = new TlsGenerationMarker();
    private final ComponentThread thread = new ComponentThread("gateway-crypto");
    private final ConfigGate<Settings> gate = new ConfigGate<>(CryptoConfig.PID, LOG,
            reason -> reports.audit("config.rejected", CryptoConfig.PID, "rejected", Map.of("reason", reason)));
    private final ClientTlsContext tls;
    private final CommandKeyFiles commandKeys;
    private final CertificateRotator rotation;
    // guarded by this
    private Settings settings;
    private ScheduledFuture<?> pollTask;

    public CryptoComponent() {
        this(GatewayPaths.fromSystem(), Clock.systemUTC(), System::getenv, Boolean.getBoolean(Settings.ALLOW_DEVELOPMENT_MODE));
    }

    CryptoComponent(GatewayPaths paths, Clock clock, Function<String, String> env, boolean developmentModeAllowed) {
        this.paths = paths;
        this.developmentModeAllowed = developmentModeAllowed;
        PemCodec codec = new PemCodec();
        Passphrases passphrases = new Passphrases(paths, env);
        MaterialLoader loader = new MaterialLoader(codec, passphrases);
        this.tls = new ClientTlsContext(loader, codec, clock, reports, marker);
        this.commandKeys = new CommandKeyFiles(codec, reports);
        this.rotation = new CertificateRotator(tls, new PairRenewal(codec, loader, passphrases, clock), clock, thread, reports);
    }

    /**
     * One validation for the three parts. The files are read here, before the thread starts, so the services
     * are usable as soon as they are registered.
     */
    @Modified
    synchronized void configure(CryptoConfig config) {
        Settings next = gate.settings(settings == null, () -> settings(config)).orElse(null);
        if (next == null) {
            return;
        }
        settings = next;
        tls.configure(next);
        commandKeys.configure(next.commandKeys());
        if (pollTask != null) {
            pollTask.cancel(false);
        }
        pollTask = thread.get().scheduleWithFixedDelay(this::poll, next.pollIntervalMs(), next.pollIntervalMs(),
                TimeUnit.MILLISECONDS);
        rotation.configure(next);
    }

    /** Validated settings; a refused development mode is also a critical alert (someone tried to switch validation off). */
    private Settings settings(CryptoConfig config) {
        try {
            return Settings.of(config, paths, developmentModeAllowed);
        } catch (IllegalArgumentException e) {
            if (config.developmentMode() && !developmentModeAllowed) {
                reports.raise(Alert.critical(ALERT_DEVELOPMENT_MODE_REFUSED, e.getMessage()), LOG);
            }
            throw e;
        }
    }

    /** The first configuration, then the marker with the context it gave (none if it was refused). */
    @Activate
    void activate(BundleContext context, CryptoConfig config) {
        configure(config);
        marker.register(context);
    }

    @Deactivate
    void deactivate() {
        marker.unregister();
        thread.stop();
    }

    /** The files of the TLS context and the command keys, checked every {@code pollIntervalMs}. */
    private void poll() {
        try {
            tls.reload();
        } catch (RuntimeException e) {
            LOG.error("Unexpected error while checking the crypto files", e);
        }
        commandKeys.reload();
    }

    /** Checks the files now rather than at the next poll (tests). */
    void reload() {
        tls.reload();
        commandKeys.reload();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAudit(AuditTrail bound) {
        reports.audit(bound);
    }

    void unbindAudit(AuditTrail gone) {
        reports.auditGone(gone);
    }

    /** The alert service came: a stale CRL found before is raised now rather than at the next poll. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAlerts(Alerts bound) {
        reports.alerts(bound);
        ScheduledExecutorService running = thread.running();
        if (running != null) {
            try {
                running.execute(this::poll);
            } catch (RejectedExecutionException stopping) {
                // deactivating
            }
        }
    }

    void unbindAlerts(Alerts gone) {
        reports.alertsGone(gone);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSubmitter(CsrSubmitter submitter) {
        rotation.submitterArrived(submitter);
    }

    void unbindSubmitter(CsrSubmitter submitter) {
        rotation.submitterGone(submitter);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSession(WmsSessionOpen open) {
        rotation.sessionOpened(open);
    }

    void unbindSession(WmsSessionOpen open) {
        rotation.sessionClosed(open);
    }

    /** The transport's verdict on the client certificate, read from the properties when bound and when updated. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedVerdict")
    void bindVerdict(WmsCertificateVerdict verdict, Map<String, Object> properties) {
        rotation.verdict(properties);
    }

    void updatedVerdict(WmsCertificateVerdict verdict, Map<String, Object> properties) {
        rotation.verdict(properties);
    }

    void unbindVerdict(WmsCertificateVerdict verdict) {
        // nothing kept: a verdict counts when it comes (the transport stopped, or a new one replaces it)
    }

    /** The {@link TlsContextGeneration} marker's properties as they are now (tests). */
    Map<String, Object> announced() {
        return marker.current();
    }

    /** The rotation part (tests). */
    CertificateRotator rotation() {
        return rotation;
    }

    /** The kids of the command keys loaded now, sorted (tests). */
    List<String> kids() {
        return commandKeys.kids();
    }

    // TlsContextProvider

    @Override
    public SSLContext sslContext() {
        return tls.sslContext();
    }

    @Override
    public Optional<Instant> crlNextUpdate() {
        return tls.crlNextUpdate();
    }

    @Override
    public List<X509Certificate> clientChain() {
        return tls.clientChain();
    }

    @Override
    public boolean developmentMode() {
        return tls.developmentMode();
    }

    @Override
    public long generation() {
        return tls.generation();
    }

    @Override
    public void updateCrl(byte[] pemOrDer) throws GeneralSecurityException {
        tls.updateCrl(pemOrDer);
    }

    @Override
    public void revalidateServer(String host) throws CertificateException {
        tls.revalidateServer(host);
    }

    // CommandKeys

    @Override
    public Optional<PublicKey> key(String kid) {
        return commandKeys.key(kid);
    }
}
