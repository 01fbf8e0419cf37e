package site.gateway.crypto.rotation;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsCertificateVerdict;
import site.gateway.api.wms.WmsSessionOpen;
import site.gateway.crypto.ClientTlsContext;
import site.gateway.crypto.ComponentThread;
import site.gateway.crypto.CredentialFiles;
import site.gateway.crypto.CryptoException;
import site.gateway.crypto.CryptoReports;
import site.gateway.crypto.Settings;

/**
 * Automatic client certificate rotation (§2.3, §5), the rotation part of
 * {@link site.gateway.crypto.CryptoComponent}: checks at start, every {@code rotationCheckMinutes} and as soon
 * as a WMS session opens (the transport's {@link WmsSessionOpen} marker: a renewal needs a registered session,
 * so one that is due waits for it quietly instead of failing); when due, has {@link PairRenewal} renew the pair
 * through the transport, installs it on trial ({@link CredentialFiles}) and switches the TLS context. The
 * transport's markers decide the trial (issue 17.2: it calls nothing here): its {@link WmsCertificateVerdict}
 * (a registration over connections with the new pair, §5) or a {@link WmsSessionOpen} opened with it confirms
 * it; a refusal verdict, or no confirmation within {@code rotationConfirmSeconds}, rolls back to the previous
 * pair. Failures are retried with backoff. All work runs on the component's one thread, so a marker's event
 * never waits for a renewal in progress.
 *
 * <p>Slightly over 300 lines: the rotation's states (due, renewing, on trial, confirmed, rolled back) are one
 * state machine, kept in one class so that every transition is visible in one place.
 */
public final class CertificateRotator {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRotator.class);

    private final ClientTlsContext tls;
    private final RotationReports reports;
    private volatile CsrSubmitter submitter;
    /** Present while a WMS session is open. */
    private volatile WmsSessionOpen session;

    private final PairRenewal renewal;
    private final Clock clock;

    private final ComponentThread executor;
    // Owned by the executor thread:
    private ScheduledFuture<?> nextCheck;
    private Settings settings;
    private RotationPolicy policy;
    private Backoff backoff;
    private volatile long pendingGeneration;
    private Instant pendingSince;
    private volatile boolean pending;
    /** A due renewal waits for a WMS session (executor thread). */
    private boolean waitingForSession;

    /**
     * @param tls      the TLS context whose client pair is renewed
     * @param executor the component's thread, on which all rotation work runs
     */
    public CertificateRotator(ClientTlsContext tls, PairRenewal renewal, Clock clock, ComponentThread executor,
            CryptoReports reports) {
        this.tls = tls;
        this.renewal = renewal;
        this.clock = clock;
        this.executor = executor;
        this.reports = new RotationReports(reports, LOG);
    }

    /** New valid settings (the first, or a change): recovers the files, then checks at once. */
    public void configure(Settings settings) {
        run(() -> start(settings));
    }

    /** The transport came (back): a renewal that waited for it can go ahead now. */
    public void submitterArrived(CsrSubmitter s) {
        submitter = s;
        checkNow();
    }

    public void submitterGone(CsrSubmitter s) {
        if (submitter == s) {
            submitter = null;
        }
    }

    /**
     * A WMS session is open (now, or already when this component started): a renewal that is due starts
     * now, and a pair on trial that this session's connections were made with
     * ({@link WmsSessionOpen#tlsGeneration()}) is confirmed (besides the registration's verdict, which comes first).
     */
    public void sessionOpened(WmsSessionOpen open) {
        session = open;
        SessionInfo info = open.opened();
        long generation = open.tlsGeneration();
        run(() -> {
            if (pending && pendingSince != null && info.connectedSinceTs() >= pendingSince.toEpochMilli()
                    && generation >= pendingGeneration) {
                commit();
            } else if (!pending && waitingForSession) {
                check();
            }
        });
    }

    public void sessionClosed(WmsSessionOpen open) {
        if (session == open) {
            session = null;
        }
    }

    private void start(Settings s) {
        settings = s;
        policy = new RotationPolicy(s.rotationDays(), s.renewBeforeDays());
        backoff = new Backoff(Duration.ofSeconds(s.rotationRetryInitialSeconds()), Duration.ofSeconds(s.rotationRetryMaxSeconds()));
        CredentialFiles files = s.credentials();
        try {
            files.recover(); // finishes a commit or removes the leftovers of a renewal cut short
        } catch (IOException e) {
            LOG.error("Cannot recover the certificate rotation files next to {}: {}", files.key(), e.toString());
        }
        if (files.journal().state() == CredentialFiles.State.PENDING) {
            pendingGeneration = reloadTls();
            pendingSince = clock.instant(); // a fresh window to confirm after a restart
            pending = true;
            LOG.info("A renewed client certificate is on trial; waiting for a successful connection to confirm it");
        }
        schedule(Duration.ZERO);
    }

    private void schedule(Duration delay) {
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
        ScheduledExecutorService ex = executor.running();
        if (ex != null && !ex.isShutdown()) {
            nextCheck = ex.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void run(Runnable task) {
        ScheduledExecutorService ex = executor.running();
        if (ex != null && !ex.isShutdown()) {
            ex.execute(task);
        }
    }

    private void check() {
        try {
            Settings s = settings;
            if (s == null) {
                return; // a binding's check queued before the first settings: start() checks anyway
            }
            Instant now = clock.instant();
            if (pending) {
                Duration left = Duration.between(now, pendingSince.plusSeconds(s.rotationConfirmSeconds()));
                if (left.isNegative() || left.isZero()) {
                    rollback("no successful connection with the new certificate within " + s.rotationConfirmSeconds() + " s");
                } else {
                    schedule(left);
                }
                return;
            }
            List<X509Certificate> chain = tls.clientChain();
            if (chain.isEmpty()) {
                schedule(Duration.ofMinutes(s.rotationCheckMinutes()));
                return;
            }
            String reason = policy.due(chain.get(0), now);
            if (reason == null) {
                schedule(Duration.ofMinutes(s.rotationCheckMinutes()));
                return;
            }
            rotate(chain.get(0), reason);
        } catch (RuntimeException e) {
            LOG.error("Certificate rotation check failed unexpectedly", e);
            schedule(backoff.failed());
        }
    }

    private void rotate(X509Certificate current, String reason) {
        CsrSubmitter s = submitter;
        if (s == null || session == null) {
            // Normal at start-up: the CSR goes over a registered session. Opening one runs this check again.
            if (!waitingForSession) {
                LOG.info("Certificate renewal due ({}); it starts when the WMS session opens", reason);
            }
            waitingForSession = true;
            schedule(Duration.ofMinutes(settings.rotationCheckMinutes()));
            return;
        }
        waitingForSession = false;
        LOG.info("Renewing the client certificate: {}", reason);
        reports.audit("cert.rotation-started", current, "ok", Map.of("reason", reason));
        try {
            PairRenewal.Renewed renewed = renewal.renew(current, s, settings);
            // On trial before the files change: whoever builds the new context (this reload, or the TLS
            // context's own poll finding the files first) shows it to the transport as a pair on trial (the
            // marker's flag comes from the same files). Confirmations run on this thread, after
            // pendingGeneration is known.
            pendingSince = clock.instant();
            pendingGeneration = Long.MAX_VALUE;
            pending = true;
            try {
                settings.credentials().writePending(renewed.chainPem(), renewed.keyPem(), clock.millis());
            } catch (IOException e) {
                pending = false;
                throw e;
            }
            pendingGeneration = reloadTls();
            X509Certificate leaf = renewed.leaf();
            LOG.info("New client certificate serial {} (valid until {}) installed on trial as TLS context generation {}",
                    leaf.getSerialNumber().toString(16), leaf.getNotAfter().toInstant(), pendingGeneration);
            reports.audit("cert.rotation-pending", leaf, "ok", Map.of("generation", pendingGeneration));
            schedule(Duration.ofSeconds(settings.rotationConfirmSeconds()));
        } catch (IOException e) {
            failed(current, "the WMS did not renew the certificate: " + e.getMessage());
        } catch (CertificateException e) {
            failed(current, "the renewed certificate was refused: " + e.getMessage());
        } catch (CryptoException e) {
            failed(current, e.getMessage());
        }
    }

    private void failed(X509Certificate current, String message) {
        Duration retry = backoff.failed();
        Instant now = clock.instant();
        reports.failed(current, message, retry, current != null && policy.expiringSoon(current, now), now);
        schedule(retry);
    }

    private void commit() {
        try {
            settings.credentials().commit(clock.millis());
        } catch (IOException e) {
            // The journal says committing: the next start finishes it; both pairs stay usable meanwhile.
            LOG.error("Cannot finish committing the renewed certificate: {}", e.toString());
            return;
        }
        backoff.succeeded();
        reloadTls(); // same contents, no new generation: the connection that confirmed it stays
        pending = false;
        List<X509Certificate> chain = tls.clientChain();
        X509Certificate leaf = chain.isEmpty() ? null : chain.get(0);
        LOG.info("Renewed client certificate confirmed by a successful connection; the previous pair is kept as *.prev");
        reports.audit("cert.rotated", leaf, "ok", Map.of());
        schedule(Duration.ofMinutes(settings.rotationCheckMinutes()));
    }

    private void rollback(String reason) {
        List<X509Certificate> trial = tls.clientChain();
        try {
            settings.credentials().rollback();
        } catch (IOException e) {
            LOG.error("Cannot roll back the renewed certificate: {}", e.toString());
            schedule(backoff.failed());
            return;
        }
        reloadTls();
        pending = false; // only once the TLS context is back on the previous pair
        reports.audit("cert.rotation-rolled-back", trial.isEmpty() ? null : trial.get(0), "failed", Map.of("reason", reason));
        List<X509Certificate> chain = tls.clientChain();
        failed(chain.isEmpty() ? null : chain.get(0), "rolled back to the previous certificate: " + reason);
    }

    /** Makes the TLS context read the files now rather than at the next poll; returns its generation. */
    private long reloadTls() {
        tls.reload();
        return tls.generation();
    }

    /** True while a renewed pair is on trial (not yet confirmed by a successful connection). */
    public boolean pending() {
        return pending;
    }

    /** The TLS context generation of the pair on trial once it is in use, else 0 (tests, console). */
    public long trialGeneration() {
        long generation = pendingGeneration;
        return pending && generation != Long.MAX_VALUE ? generation : 0;
    }

    /**
     * The transport's {@link WmsCertificateVerdict}, bound or updated: accepted confirms a pair on trial that
     * the judged connections used, refused rolls it back. Earlier generations (a verdict on the previous pair,
     * or a late binding's old verdict) change nothing.
     */
    public void verdict(Map<String, ?> properties) {
        CertificateVerdict.of(properties).ifPresentOrElse(v -> {
            if (v.accepted()) {
                confirmCurrent(v.tlsGeneration());
            } else {
                rejectCurrent(v.tlsGeneration(), v.reason());
            }
        }, () -> LOG.warn("Ignoring a WMS certificate verdict without its generation and outcome: {}", properties));
    }

    /** Connections made with TLS context {@code generation} were accepted: confirms the pair on trial they used. */
    public void confirmCurrent(long generation) {
        run(() -> {
            if (pending && generation >= pendingGeneration) {
                commit();
            }
        });
    }

    /** The pair on trial was refused over connections made with {@code generation}: rolls back now. */
    public void rejectCurrent(long generation, String reason) {
        run(() -> {
            if (pending && generation >= pendingGeneration) {
                rollback(reason);
            }
        });
    }

    /** Runs a check now (tests; and a hook for an operator command). */
    public void checkNow() {
        run(this::check);
    }
}
