package site.gateway.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.Alert;

/**
 * The gateway's TLS client context, the TLS part of {@link CryptoComponent}: loads the files, builds a TLS 1.3
 * client context with our own server validation, rebuilds it when a file changed (shown by the
 * {@link TlsGenerationMarker}'s properties, which the transport watches), and installs CRLs fetched from the
 * WMS. A broken file keeps the last good context in force; with none, {@link #sslContext()} explains what is
 * wrong.
 */
public final class ClientTlsContext {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTlsContext.class);
    static final String ALERT_KEY = "crypto.key-unreadable";
    static final String ALERT_ANCHORS = "crypto.anchors-unreadable";

    private record Loaded(TlsMaterial material, SSLContext context, long generation) {
    }

    private final TlsGenerationMarker marker;
    private final CryptoReports reports;
    private final Clock clock;
    private final MaterialLoader loader;
    private final CrlInstaller crls;
    private final CrlFreshness freshness;
    /** Intermediate CAs of server chains that validated: the issuers whose CRLs may be installed. */
    private final Set<X509Certificate> validatedIssuers = ConcurrentHashMap.newKeySet();
    /** The server chain last accepted per host (bounded), to validate an open session again. */
    private final Map<String, X509Certificate[]> acceptedChains = new ConcurrentHashMap<>();
    /** The validator of the current context. */
    private volatile ChainValidator validator;
    private volatile Settings settings;
    private volatile Loaded loaded;
    private volatile String loadError = "not configured yet";
    private String lastFingerprint;
    private String lastReportedError;
    private long generation;

    ClientTlsContext(MaterialLoader loader, PemCodec codec, Clock clock, CryptoReports reports,
            TlsGenerationMarker marker) {
        this.loader = loader;
        this.clock = clock;
        this.reports = reports;
        this.marker = marker;
        this.crls = new CrlInstaller(codec, loader, reports);
        this.freshness = new CrlFreshness(clock, reports);
    }

    /** New valid settings: the context is rebuilt only if what it is built from changed. */
    synchronized void configure(Settings next) {
        Settings previous = settings;
        settings = next;
        if (next.developmentMode()) {
            LOG.warn("DEVELOPMENT MODE is ON in {}: WMS server certificates are NOT fully validated. Never use this in production.",
                    CryptoConfig.PID);
        }
        if (previous == null || !tlsSettings(previous).equals(tlsSettings(next))) {
            // Other keys (rotation, polling, command keys) leave the context and its generation alone, so
            // sessions are not disturbed.
            lastFingerprint = null;
        }
        reload();
    }

    private static List<Object> tlsSettings(Settings s) {
        return List.of(s.credentials().certificate(), s.credentials().key(), String.valueOf(s.keyPassphraseFile()),
                s.trustAnchors(), s.crlFile(), s.requireFreshCrl(), s.developmentMode());
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
        Loaded l = loaded;
        if (l != null) {
            freshness.check(l.material(), s);
        }
    }

    private void rebuild(Settings s) {
        TlsMaterial material;
        SSLContext context;
        try {
            material = loader.load(s);
            ChainValidator next = new ChainValidator(material.anchors(), material.crls(), s.requireFreshCrl(), clock);
            context = Tls13Context.create(material.key(), material.chain(),
                    new GatewayTrustManager(next, s.developmentMode(), new Observer()));
            this.validator = next;
        } catch (MaterialLoader.LoadException e) {
            failed(e.getMessage(), e.part() == MaterialLoader.Part.KEY ? ALERT_KEY : ALERT_ANCHORS);
            return;
        } catch (GeneralSecurityException e) {
            failed("Cannot build the TLS context: " + e.getMessage(), ALERT_KEY);
            return;
        }
        if (material.crlProblem() != null) {
            LOG.error(material.crlProblem());
            reports.audit("crl.rejected", s.crlFile().toString(), "rejected", Map.of("reason", material.crlProblem()));
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
        reports.audit("tls.context-loaded", leaf.getSubjectX500Principal().getName(), "ok",
                Map.of("generation", gen, "serial", leaf.getSerialNumber().toString(16), "pending", material.pending()));
        // With the trial flag of the same files: the transport reconnects only for a pair on trial (§5).
        marker.changed(gen, material.pending());
    }

    /** One clear error and alert per distinct problem, however often the files are polled. */
    private void failed(String message, String alertCode) {
        loadError = message;
        if (message.equals(lastReportedError)) {
            return;
        }
        lastReportedError = message;
        Loaded l = loaded;
        LOG.error("{}{}", message, l != null ? "; keeping the previous TLS context (generation " + l.generation() + ")"
                : "; no TLS connection is possible until this is fixed");
        reports.raise(Alert.critical(alertCode, message), LOG);
        reports.audit("tls.context-failed", CryptoConfig.PID, "failed", Map.of("reason", message));
    }

    public SSLContext sslContext() {
        Loaded l = loaded;
        if (l == null) {
            throw new IllegalStateException("No usable TLS key and certificate: " + loadError);
        }
        return l.context();
    }

    public Optional<Instant> crlNextUpdate() {
        Loaded l = loaded;
        if (l == null || l.material().crl() == null) {
            return Optional.empty();
        }
        return Stream.concat(Stream.of(l.material().crl()), l.material().issuerCrls().stream())
                .map(c -> c.getNextUpdate() == null ? Instant.MAX : c.getNextUpdate().toInstant())
                .min(Comparator.naturalOrder());
    }

    public List<X509Certificate> clientChain() {
        Loaded l = loaded;
        return l == null ? List.of() : l.material().chain();
    }

    public boolean developmentMode() {
        Settings s = settings;
        return s != null && s.developmentMode();
    }

    public long generation() {
        Loaded l = loaded;
        return l == null ? 0 : l.generation();
    }

    /** Installs a CRL fetched from the WMS ({@link CrlInstaller}) and rebuilds the context with it. */
    public synchronized void updateCrl(byte[] pemOrDer) throws GeneralSecurityException {
        Settings s = settings;
        if (s == null) {
            throw new IllegalStateException("not configured");
        }
        Loaded l = loaded;
        if (crls.install(pemOrDer, s, l == null ? null : l.material(), validatedIssuers)) {
            reload();
        }
    }

    public void revalidateServer(String host) throws CertificateException {
        X509Certificate[] chain = host == null ? null : acceptedChains.get(host);
        ChainValidator current = validator;
        Settings s = settings;
        if (chain == null || current == null || s == null || s.developmentMode()) {
            return;
        }
        try {
            current.validateServer(chain, host);
        } catch (CertificateException e) {
            acceptedChains.remove(host);
            new Observer().rejected(host, "open session no longer trusted: " + e.getMessage());
            throw e;
        }
    }

    /** Log and audit of each handshake decision. */
    private final class Observer implements GatewayTrustManager.Observer {
        @Override
        public void rejected(String host, String reason) {
            LOG.error("TLS connection to WMS host {} refused: {}", host, reason);
            reports.audit("tls.rejected", String.valueOf(host), "rejected", Map.of("reason", reason));
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
                reports.audit("tls.accepted-insecure", String.valueOf(host), "accepted", Map.of("reason", relaxedFailure));
            }
        }
    }
}
