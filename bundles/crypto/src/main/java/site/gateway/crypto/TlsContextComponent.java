package site.gateway.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

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

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.crypto.TlsContextListener;
import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.support.config.ConfigGate;

/**
 * The gateway's TLS context from {@code gateway.crypto}: loads the files, builds a TLS 1.3 client
 * context with our own server validation, polls the files and rebuilds on change (telling the
 * {@link TlsContextListener}s), and installs CRLs fetched from the WMS. A broken file keeps the last
 * good context in force; with none, {@link #sslContext()} explains what is wrong. An invalid first
 * configuration keeps the component out of service, an invalid change keeps the last good settings
 * ({@link ConfigGate}).
 */
@Component(service = TlsContextProvider.class, configurationPid = CryptoConfig.PID, immediate = true)
@Designate(ocd = CryptoConfig.class)
public class TlsContextComponent implements TlsContextProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContextComponent.class);
    static final String ACTOR = "site.gateway.crypto";
    static final String ALERT_KEY = "crypto.key-unreadable";
    static final String ALERT_ANCHORS = "crypto.anchors-unreadable";
    static final String ALERT_CRL_STALE = "crl.stale";
    static final String ALERT_DEVELOPMENT_MODE_REFUSED = "crypto.development-mode-refused";

    private record Loaded(TlsMaterial material, SSLContext context, long generation) {
    }

    volatile Alerts alerts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    private final List<TlsContextListener> listeners = new CopyOnWriteArrayList<>();
    /** Intermediate CAs of server chains that validated: the issuers whose CRLs may be installed. */
    private final java.util.Set<X509Certificate> validatedIssuers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The server chain last accepted per host (bounded), to validate an open session again. */
    private final Map<String, X509Certificate[]> acceptedChains = new java.util.concurrent.ConcurrentHashMap<>();
    /** The validator of the current context. */
    private volatile ChainValidator validator;
    private final PemCodec codec = new PemCodec();
    private final GatewayPaths paths;
    private final Clock clock;
    private final MaterialLoader loader;

    private final ConfigGate<Settings> gate = new ConfigGate<>(CryptoConfig.PID, LOG,
            reason -> audit("config.rejected", CryptoConfig.PID, "rejected", Map.of("reason", reason)));
    private volatile Settings settings;
    private volatile Loaded loaded;
    private volatile String loadError = "not configured yet";
    private String lastFingerprint;
    private String lastTlsSettings;
    private String lastReportedError;
    /** The stale-CRL condition last alerted (no CRL, or past which nextUpdate), null while fresh. */
    private String crlStaleRaised;
    private long generation;
    private final ComponentThread poller = new ComponentThread("gateway-crypto-files");
    private ScheduledFuture<?> pollTask;

    private final boolean developmentModeAllowed;

    public TlsContextComponent() {
        this(GatewayPaths.fromSystem(), Clock.systemUTC(), System::getenv, Boolean.getBoolean(Settings.ALLOW_DEVELOPMENT_MODE));
    }

    TlsContextComponent(GatewayPaths paths, Clock clock, java.util.function.Function<String, String> env,
            boolean developmentModeAllowed) {
        this.paths = paths;
        this.clock = clock;
        this.developmentModeAllowed = developmentModeAllowed;
        this.loader = new MaterialLoader(codec, new Passphrases(paths, env));
    }

    @Activate
    @Modified
    synchronized void configure(CryptoConfig config) {
        Settings candidate = gate.settings(settings == null, () -> settings(config)).orElse(null);
        if (candidate == null) {
            return;
        }
        settings = candidate;
        if (candidate.developmentMode()) {
            LOG.warn("DEVELOPMENT MODE is ON in {}: WMS server certificates are NOT fully validated. Never use this in production.",
                    CryptoConfig.PID);
        }
        String tlsSettings = String.join("|", config.certificate(), config.privateKey(), config.keyPassphraseFile(),
                config.trustAnchors(), config.crlFile(), String.valueOf(config.requireFreshCrl()),
                String.valueOf(config.developmentMode()));
        if (!tlsSettings.equals(lastTlsSettings)) {
            // What the context is built from changed: rebuild even if the files did not. Other keys
            // (rotation, polling) leave the context and its generation alone, so sessions are not disturbed.
            lastTlsSettings = tlsSettings;
            lastFingerprint = null;
        }
        reload();
        if (pollTask != null) {
            pollTask.cancel(false);
        }
        pollTask = poller.get().scheduleWithFixedDelay(this::poll, candidate.pollIntervalMs(), candidate.pollIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    /** Validated settings; a refused development mode is also a critical alert (someone tried to switch validation off). */
    private Settings settings(CryptoConfig config) {
        try {
            return Settings.of(config, paths, developmentModeAllowed);
        } catch (IllegalArgumentException e) {
            if (config.developmentMode() && !developmentModeAllowed) {
                raise(Alert.critical(ALERT_DEVELOPMENT_MODE_REFUSED, e.getMessage()));
            }
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        poller.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(TlsContextListener listener) {
        listeners.add(listener);
    }

    void removeListener(TlsContextListener listener) {
        listeners.remove(listener);
    }

    private void poll() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.error("Unexpected error while checking the crypto files", e);
        }
    }

    /** Rebuilds the context when a file changed; re-evaluates CRL freshness every time. */
    public synchronized void reload() {
        Settings s = settings;
        if (s == null) {
            return;
        }
        String fingerprint = loader.fingerprint(s);
        if (!fingerprint.equals(lastFingerprint)) {
            lastFingerprint = fingerprint;
            rebuild(s);
        }
        checkCrlFreshness();
    }

    private void rebuild(Settings s) {
        TlsMaterial material;
        SSLContext context;
        try {
            material = loader.load(s);
            ChainValidator validator = new ChainValidator(material.anchors(), material.crls(), s.requireFreshCrl(), clock);
            context = Tls13Context.create(material.key(), material.chain(),
                    new GatewayTrustManager(validator, s.developmentMode(), new Observer()));
            this.validator = validator;
        } catch (MaterialLoader.LoadException e) {
            failed(e.getMessage(), e.part() == MaterialLoader.Part.KEY ? ALERT_KEY : ALERT_ANCHORS);
            return;
        } catch (GeneralSecurityException e) {
            failed("Cannot build the TLS context: " + e.getMessage(), ALERT_KEY);
            return;
        }
        if (material.crlProblem() != null) {
            LOG.error(material.crlProblem());
            audit("crl.rejected", s.crlFile().toString(), "rejected", Map.of("reason", material.crlProblem()));
        }
        long gen = ++generation;
        loaded = new Loaded(material, context, gen);
        loadError = null;
        lastReportedError = null;
        X509Certificate leaf = material.chain().get(0);
        LOG.info("TLS context generation {}: client certificate {} serial {} valid until {}{}, {} trust anchor(s), CRL {}",
                gen, leaf.getSubjectX500Principal(), leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant(),
                material.pending() ? " (renewed pair on trial)" : "", material.anchors().size(),
                material.crl() == null ? "none" : "of " + material.crl().getThisUpdate().toInstant());
        audit("tls.context-loaded", leaf.getSubjectX500Principal().getName(), "ok",
                Map.of("generation", gen, "serial", leaf.getSerialNumber().toString(16), "pending", material.pending()));
        for (TlsContextListener l : listeners) {
            try {
                l.tlsContextChanged(gen);
            } catch (RuntimeException e) {
                LOG.warn("TLS context listener {} failed: {}", l, e.toString());
            }
        }
    }

    /** One clear error and alert per distinct problem, however often the files are polled. */
    private void failed(String message, String alertCode) {
        loadError = message;
        if (message.equals(lastReportedError)) {
            return;
        }
        lastReportedError = message;
        boolean keepOld = loaded != null;
        LOG.error("{}{}", message, keepOld ? "; keeping the previous TLS context (generation " + loaded.generation() + ")"
                : "; no TLS connection is possible until this is fixed");
        raise(Alert.critical(alertCode, message));
        audit("tls.context-failed", CryptoConfig.PID, "failed", Map.of("reason", message));
    }

    /**
     * §1: a missing CRL, or one past its nextUpdate, raises one {@code crl.stale} warning per condition (a
     * later, different staleness raises again); a fresh CRL clears it. Called at every poll, so a condition
     * found before the alert service was there is raised as soon as it is.
     */
    private void checkCrlFreshness() {
        Loaded l = loaded;
        if (l == null) {
            return;
        }
        X509CRL crl = l.material().crl();
        java.time.Instant now = clock.instant();
        for (X509CRL issuerCrl : l.material().issuerCrls()) {
            if (crl != null && !ChainValidator.isStale(crl, now) && ChainValidator.isStale(issuerCrl, now)) {
                crl = issuerCrl; // the CA's CRL is fresh, an intermediate's is not
            }
        }
        boolean stale = ChainValidator.isStale(crl, now);
        if (stale) {
            String condition = crl == null ? "none" : crl.getIssuerX500Principal() + " next update " + crl.getNextUpdate().toInstant();
            if (condition.equals(crlStaleRaised)) {
                return;
            }
            Alerts target = alerts;
            if (target == null) {
                return; // raised at the poll after the alert service came
            }
            crlStaleRaised = condition;
            String msg = crl == null ? "No valid CRL installed (" + settings.crlFile() + "); revocation cannot be checked"
                    : "The CRL of " + crl.getIssuerX500Principal().getName() + " is past its nextUpdate " + crl.getNextUpdate().toInstant();
            LOG.warn("{}{}", msg, settings.requireFreshCrl() ? "; connections are refused (requireFreshCrl)" : "");
            SafeAlerts.raise(target, Alert.warning(ALERT_CRL_STALE, msg), LOG);
        } else if (crlStaleRaised != null) {
            crlStaleRaised = null;
            LOG.info("The CRL is fresh again (next update {})", crl.getNextUpdate() == null ? "unspecified"
                    : crl.getNextUpdate().toInstant());
            audit("crl.fresh", settings.crlFile().toString(), "ok", Map.of());
        }
    }

    /** The alert service came: a stale CRL found before is raised now rather than at the next poll. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAlerts(Alerts bound) {
        alerts = bound;
        ScheduledExecutorService p = poller.running();
        if (p != null) {
            try {
                p.execute(this::poll);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // deactivating
            }
        }
    }

    void unbindAlerts(Alerts gone) {
        if (alerts == gone) {
            alerts = null;
        }
    }

    @Override
    public SSLContext sslContext() {
        Loaded l = loaded;
        if (l == null) {
            throw new IllegalStateException("No usable TLS key and certificate: " + loadError);
        }
        return l.context();
    }

    @Override
    public java.util.Optional<java.time.Instant> crlNextUpdate() {
        Loaded l = loaded;
        if (l == null || l.material().crl() == null) {
            return java.util.Optional.empty();
        }
        java.util.stream.Stream<X509CRL> crls = java.util.stream.Stream.concat(java.util.stream.Stream.of(l.material().crl()),
                l.material().issuerCrls().stream());
        return crls.map(c -> c.getNextUpdate() == null ? java.time.Instant.MAX : c.getNextUpdate().toInstant())
                .min(java.util.Comparator.naturalOrder());
    }

    @Override
    public List<X509Certificate> clientChain() {
        Loaded l = loaded;
        return l == null ? List.of() : l.material().chain();
    }

    @Override
    public boolean developmentMode() {
        Settings s = settings;
        return s != null && s.developmentMode();
    }

    @Override
    public long generation() {
        Loaded l = loaded;
        return l == null ? 0 : l.generation();
    }

    /**
     * §2.4: installs a CRL that verifies against a trust anchor (kept in {@code crlFile}) or against an
     * intermediate CA seen in a validated server chain (kept per issuer next to it, {@link IssuerCrls}).
     */
    @Override
    public synchronized void updateCrl(byte[] pemOrDer) throws GeneralSecurityException {
        Settings s = settings;
        if (s == null) {
            throw new IllegalStateException("not configured");
        }
        X509CRL crl;
        Path target;
        try {
            crl = codec.crl(pemOrDer);
            List<X509Certificate> anchors = loaded != null ? loaded.material().anchors() : loader.anchors(s);
            X509Certificate intermediate = anchorNamed(anchors, crl) == null ? intermediateNamed(crl) : null;
            ChainValidator.verifyCrl(crl, intermediate == null ? anchors : List.of(intermediate));
            target = intermediate == null ? s.crlFile() : IssuerCrls.fileFor(s.crlFile(), crl.getIssuerX500Principal());
        } catch (CRLException e) {
            throw rejectCrl(s, e.getMessage(), e);
        } catch (CryptoException e) {
            throw rejectCrl(s, e.getMessage(), new CRLException(e.getMessage(), e));
        }
        X509CRL current = installedFrom(crl);
        if (current != null) {
            if (java.util.Arrays.equals(current.getEncoded(), crl.getEncoded()) || sameIssue(current, crl)) {
                return; // the same CRL fetched again, or the same issue signed again (ECDSA signatures differ)
            }
            if (!crl.getThisUpdate().after(current.getThisUpdate())) {
                throw rejectCrl(s, "CRL of " + crl.getThisUpdate().toInstant() + " is not newer than the installed one of "
                        + current.getThisUpdate().toInstant(), null);
            }
        }
        try {
            AtomicFiles.write(target, pemOrDer, false);
        } catch (IOException e) {
            throw new GeneralSecurityException("Cannot store the CRL in " + target + ": " + e.getMessage(), e);
        }
        LOG.info("Installed CRL of {} by {} (next update {}), {} revoked certificate(s)", crl.getThisUpdate().toInstant(),
                crl.getIssuerX500Principal().getName(), crl.getNextUpdate() == null ? "unspecified" : crl.getNextUpdate().toInstant(),
                crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
        audit("crl.installed", target.toString(), "ok", Map.of("thisUpdate", crl.getThisUpdate().getTime(),
                "issuer", crl.getIssuerX500Principal().getName()));
        reload();
    }

    @Override
    public void revalidateServer(String host) throws java.security.cert.CertificateException {
        X509Certificate[] chain = host == null ? null : acceptedChains.get(host);
        ChainValidator current = validator;
        Settings s = settings;
        if (chain == null || current == null || s == null || s.developmentMode()) {
            return;
        }
        try {
            current.validateServer(chain, host);
        } catch (java.security.cert.CertificateException e) {
            acceptedChains.remove(host);
            new Observer().rejected(host, "open session no longer trusted: " + e.getMessage());
            throw e;
        }
    }

    /** Same issuer, same thisUpdate, same revoked entries: one CRL issue, whatever its signature bytes. */
    private static boolean sameIssue(X509CRL a, X509CRL b) {
        return a.getIssuerX500Principal().equals(b.getIssuerX500Principal())
                && a.getThisUpdate().equals(b.getThisUpdate())
                && java.util.Objects.equals(a.getRevokedCertificates(), b.getRevokedCertificates());
    }

    private static X509Certificate anchorNamed(List<X509Certificate> anchors, X509CRL crl) {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                return a;
            }
        }
        return null;
    }

    /** An intermediate CA of a server chain this context validated, named as the CRL's issuer. */
    private X509Certificate intermediateNamed(X509CRL crl) {
        for (X509Certificate c : validatedIssuers) {
            if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                return c;
            }
        }
        return null;
    }

    private X509CRL installedFrom(X509CRL crl) {
        Loaded l = loaded;
        if (l == null) {
            return null;
        }
        X509CRL newest = null;
        for (X509CRL c : l.material().crls()) {
            if (c.getIssuerX500Principal().equals(crl.getIssuerX500Principal())
                    && (newest == null || c.getThisUpdate().after(newest.getThisUpdate()))) {
                newest = c;
            }
        }
        return newest;
    }

    private CRLException rejectCrl(Settings s, String reason, CRLException cause) {
        LOG.error("CRL rejected: {}", reason);
        audit("crl.rejected", s.crlFile().toString(), "rejected", Map.of("reason", reason));
        return cause != null ? cause : new CRLException(reason);
    }

    private void raise(Alert alert) {
        SafeAlerts.raise(alerts, alert, LOG);
    }

    private void audit(String action, String target, String outcome, Map<String, Object> details) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record(ACTOR, action, target, outcome, details);
        }
    }

    /** Log and audit of each handshake decision. */
    private final class Observer implements GatewayTrustManager.Observer {
        @Override
        public void rejected(String host, String reason) {
            LOG.error("TLS connection to WMS host {} refused: {}", host, reason);
            audit("tls.rejected", String.valueOf(host), "rejected", Map.of("reason", reason));
        }

        @Override
        public void validated(String host, List<X509Certificate> path) {
            if (host != null && (acceptedChains.size() < 16 || acceptedChains.containsKey(host))) {
                acceptedChains.put(host, path.toArray(new X509Certificate[0]));
            }
            if (validatedIssuers.size() < 64) { // a handful of WMS CAs; bounded whatever a server sends
                validatedIssuers.addAll(path.subList(1, path.size()));
            }
        }

        @Override
        public void developmentConnection(String host, String relaxedFailure) {
            if (relaxedFailure == null) {
                LOG.warn("DEVELOPMENT MODE: connecting to {} with relaxed certificate validation", host);
            } else {
                LOG.warn("DEVELOPMENT MODE: connecting to {} DESPITE a validation failure: {}", host, relaxedFailure);
                audit("tls.accepted-insecure", String.valueOf(host), "accepted", Map.of("reason", relaxedFailure));
            }
        }
    }
}
