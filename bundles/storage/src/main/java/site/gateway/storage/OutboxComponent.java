package site.gateway.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.thread.DaemonThreads;

/**
 * The {@link Outbox} service: a {@link OutboxStore} configured by {@code gateway.buffer}, announcing
 * appends, durable seqs and drops to {@link OutboxListener}s and raising buffer alerts. Alerts are
 * raised from a ticker thread, never under a lock, because raising one appends to this very outbox.
 *
 * <p>The service is registered only once the store is open: if it cannot be opened for a reason
 * that does not make the file corrupt (another gateway holds it, I/O error, full disk), the file is
 * kept, the reason logged, audited and alerted, and opening is retried with backoff; meanwhile there
 * is no outbox, so nothing that needs one (the WMS transport) starts.
 *
 * <p>Over 300 lines because the {@link Outbox} interface itself is wide (append, read, acknowledge, durable
 * seq, dropped ranges, stats, continue-above) and every call goes through the same open/reopen guard
 * ({@code withStore}); the store's own logic lives in {@link OutboxStore}, alert bookkeeping in {@link OutboxAlerts}.
 */
// Registered by hand once the store is open; declared so that the distribution's resolver knows who provides it.
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"site.gateway.api.outbox.Outbox\"")
@Component(service = {}, immediate = true, configurationPid = OutboxConfig.PID)
@Designate(ocd = OutboxConfig.class)
public class OutboxComponent implements Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxComponent.class);
    static final long ALERT_TICK_MS = 1000;
    static final long FIRST_RETRY_MS = 1000;
    static final long MAX_RETRY_MS = 60_000;

    /** Held for reading by every operation, for writing while the store is moved to another directory. */
    private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
    private final List<OutboxListener> listeners = new CopyOnWriteArrayList<>();
    private final OutboxAlerts pendingAlerts = new OutboxAlerts();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Alerts alerts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    private volatile OutboxStore queue;
    /** The ticker thread while it raises an alert, and the seq that alert got in this outbox. */
    private volatile Thread capturingThread;
    private volatile long capturedSeq;
    private final ConfigGate<OutboxSettings> gate = new ConfigGate<>(OutboxConfig.PID, LOG,
            reason -> record("config.rejected", "rejected", reason));
    private volatile OutboxSettings settings;
    private ScheduledExecutorService ticker;
    private BundleContext context;
    private ServiceRegistration<Outbox> registration;
    private volatile boolean stopped;
    /** Why the store cannot be opened now (null while it is open), and how often it failed in a row. */
    private volatile String unavailable;
    private int failedOpens;

    @Activate
    void start(BundleContext bundleContext, OutboxConfig config) {
        this.context = bundleContext;
        activate(config);
    }

    /** Starts without registering a service (tests); {@link #start} registers the service once open. */
    void activate(OutboxConfig config) {
        settings = gate.first(() -> OutboxSettings.from(config));
        ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-buffer-alerts"));
        ticker.scheduleWithFixedDelay(this::raiseDueAlerts, ALERT_TICK_MS, ALERT_TICK_MS, TimeUnit.MILLISECONDS);
        tryOpen();
    }

    /** Opens the store (at activation, then on each retry); once open, registers the service. */
    private synchronized void tryOpen() {
        if (stopped || queue != null) {
            return;
        }
        OutboxSettings s = settings;
        OutboxStore opened;
        try {
            opened = OutboxStore.open(s.directory(), s.limits(), System::currentTimeMillis, this::announceDurable);
        } catch (IOException | RuntimeException e) {
            openFailed(s, e);
            return;
        }
        switchLock.writeLock().lock();
        try {
            queue = opened;
        } finally {
            switchLock.writeLock().unlock();
        }
        if (unavailable != null) {
            LOG.info("Buffer in {} is available again", s.directory());
            record("buffer.available", "recovered", s.directory().toString());
        }
        unavailable = null;
        failedOpens = 0;
        LOG.info("Buffer open: {} ({} messages, next seq {})", s.describe(), opened.stats().messages(),
                opened.nextSeq());
        noteOpenReport(opened);
        if (context != null && registration == null) {
            registration = context.registerService(Outbox.class, this, null);
        }
    }

    /** Keeps the file, says why (once per distinct reason), and retries with backoff. */
    private void openFailed(OutboxSettings s, Exception e) {
        long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failedOpens, 6));
        failedOpens++;
        String why = e instanceof StoreUnavailableException ? e.getMessage() : OpenFailure.describe(s.directory(), e);
        if (!why.equals(unavailable)) {
            LOG.error("Buffer not started: {}; retrying with backoff (next in {} s)", why, delay / 1000, e);
            record("buffer.unavailable", "failed", why);
            pendingAlerts.immediate(new Alert(site.gateway.api.status.Severity.CRITICAL, "buffer.unavailable",
                    "Buffer not started: " + why, null, Map.of("directory", s.directory().toString(),
                            "locked", e instanceof StoreUnavailableException u && u.locked())));
        } else {
            LOG.debug("Buffer still unavailable: {}", why);
        }
        unavailable = why;
        ticker.schedule(this::tryOpen, delay, TimeUnit.MILLISECONDS);
    }

    /** True while the store is open. */
    boolean isAvailable() {
        return queue != null;
    }

    private OutboxStore current() {
        OutboxStore q = queue;
        if (q == null) {
            throw new IllegalStateException("buffer unavailable: " + unavailable);
        }
        return q;
    }

    @Modified
    void modified(OutboxConfig config) {
        OutboxSettings s = gate.check(() -> OutboxSettings.from(config), settings.describe()).orElse(null);
        if (s == null) {
            return;
        }
        List<SeqRange> drops;
        switchLock.writeLock().lock();
        try {
            if (queue == null) {
                settings = s; // not open: the next attempt opens with these settings
                LOG.info("Buffer configuration noted while the buffer is unavailable: {}", s.describe());
                return;
            }
            if (!s.directory().equals(queue.directory())) {
                s = relocate(s);
                if (queue == null) {
                    settings = s;
                    return;
                }
            }
            drops = queue.setLimits(s.limits());
            settings = s;
        } finally {
            switchLock.writeLock().unlock();
        }
        LOG.info("Buffer configuration applied: {}", s.describe());
        record("config.applied", "ok", s.describe());
        announceDrops(drops, true);
    }

    /**
     * Moves the buffer to the new directory: close (everything committed and synced), copy, reopen.
     * If the target already holds a buffer or the move fails, the buffer stays where it was.
     */
    private OutboxSettings relocate(OutboxSettings wanted) {
        OutboxStore current = queue;
        Path from = current.directory();
        Path to = wanted.directory();
        current.close();
        Path in = from;
        try {
            StoreLocation.move(from, to);
            in = to;
            LOG.info("Buffer moved from {} to {}", from, to);
            record("buffer.moved", "ok", from + " -> " + to);
        } catch (IOException e) {
            LOG.error("Cannot move the buffer from {} to {}: {}; it stays in {}", from, to, e.getMessage(), from);
            record("buffer.move-refused", "failed", e.getMessage());
        }
        try {
            queue = OutboxStore.open(in, wanted.limits(), System::currentTimeMillis, this::announceDurable);
        } catch (IOException | RuntimeException e) {
            queue = null;
            openFailed(wanted.withDirectory(in), e); // retried with backoff; nothing is lost, the files stay
            return wanted.withDirectory(in);
        }
        noteOpenReport(queue);
        return wanted.withDirectory(in);
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            stopped = true;
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        switchLock.writeLock().lock();
        try {
            if (queue != null) {
                queue.close();
            }
        } finally {
            switchLock.writeLock().unlock();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(OutboxListener listener) {
        listeners.add(listener);
    }

    void removeListener(OutboxListener listener) {
        listeners.remove(listener);
    }

    // ---- Outbox ------------------------------------------------------------------------------

    @Override
    public long append(MessageType type, byte[] json) throws OutboxFullException {
        OutboxStore.Appended result;
        try {
            result = withStore(store -> store.append(type, json));
        } catch (OutboxFullException e) {
            pendingAlerts.rejected();
            throw e;
        }
        if (capturingThread == Thread.currentThread() && type == MessageType.ALERT) {
            capturedSeq = result.seq();
        }
        for (OutboxListener l : listeners) {
            try {
                l.appended(result.seq());
            } catch (RuntimeException e) {
                LOG.warn("Outbox listener {} failed on appended: {}", l, e.toString());
            }
        }
        announceDrops(result.dropped(), true);
        return result.seq();
    }

    @Override
    public List<OutboxEntry> read(long fromSeq, int maxItems) {
        return withStore(store -> store.read(fromSeq, maxItems));
    }

    @Override
    public void acknowledge(long upTo) {
        withStore(store -> {
            store.acknowledge(upTo);
            return null;
        });
    }

    /** A call on the store; {@code E} lets append's {@link OutboxFullException} through. */
    @FunctionalInterface
    private interface StoreCall<T, E extends Exception> {
        T on(OutboxStore store) throws E;
    }

    /**
     * Runs a call on the current store under the read lock (a directory switch waits for it). If the
     * call fails because MVStore closed the store, the store is reopened, outside the lock, before the
     * failure goes on to the caller.
     */
    private <T, E extends Exception> T withStore(StoreCall<T, E> call) throws E {
        OutboxStore current = null;
        RuntimeException failure;
        switchLock.readLock().lock();
        try {
            current = current();
            return call.on(current);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            switchLock.readLock().unlock();
        }
        reopenIfBroken(current, failure);
        throw failure;
    }

    /**
     * MVStore closes itself on an I/O error or corruption found while running. Reopening goes through
     * the same recovery as a start (a corrupt file is moved aside with a critical alert), so the next
     * call works again. The caller must not hold the read lock.
     */
    private void reopenIfBroken(OutboxStore failed, RuntimeException cause) {
        if (failed == null || !failed.isBroken()) {
            return;
        }
        switchLock.writeLock().lock();
        try {
            if (queue != failed) {
                return; // another thread reopened it already
            }
            LOG.error("Buffer store in {} failed ({}); reopening it", failed.directory(), cause.toString());
            failed.abandon();
            queue = null;
            queue = OutboxStore.open(failed.directory(), settings.limits(), System::currentTimeMillis,
                    this::announceDurable);
            noteOpenReport(queue);
            record("buffer.reopened", "recovered", cause.toString());
        } catch (IOException | RuntimeException e) {
            LOG.error("Reopening the buffer in {} failed: {}", failed.directory(), e.toString());
            openFailed(settings, e); // calls fail until a retry opens it
        } finally {
            switchLock.writeLock().unlock();
        }
    }

    @Override
    public long lastAckedSeq() {
        return current().lastAckedSeq();
    }

    @Override
    public long nextSeq() {
        return current().nextSeq();
    }

    @Override
    public long durableSeq() {
        return current().durableSeq();
    }

    @Override
    public void continueAbove(long wmsLastReceivedSeq) {
        OutboxStore.Raised raised = withStore(store -> store.continueAbove(wmsLastReceivedSeq));
        if (raised == null) {
            return;
        }
        String message = "The WMS already holds seqs up to " + raised.wmsLastReceivedSeq()
                + " but this gateway numbered from " + raised.previousNextSeq() + " (lost or restored buffer?): "
                + raised.renumbered() + " held messages renumbered above the WMS's mark, next seq " + raised.nextSeq();
        LOG.warn(message);
        pendingAlerts.immediate(new Alert(site.gateway.api.status.Severity.WARNING, "buffer.seq-raised", message, null,
                Map.of("wmsLastReceivedSeq", raised.wmsLastReceivedSeq(), "previousNextSeq", raised.previousNextSeq(),
                        "nextSeq", raised.nextSeq(), "renumbered", raised.renumbered())));
        record("buffer.seq-raised", "ok", message);
    }

    @Override
    public List<SeqRange> droppedRanges() {
        return current().droppedRanges();
    }

    @Override
    public OutboxStats stats() {
        switchLock.readLock().lock();
        try {
            return current().stats();
        } finally {
            switchLock.readLock().unlock();
        }
    }

    /** The store behind the service, for tests and the benchmark. */
    OutboxStore queue() {
        return queue;
    }

    // ---- alerts and announcements ---------------------------------------------------------------

    /** On the committer thread: every seq up to {@code upTo} is on the device and may be sent. */
    private void announceDurable(long upTo) {
        for (OutboxListener l : listeners) {
            try {
                l.durable(upTo);
            } catch (RuntimeException e) {
                LOG.warn("Outbox listener {} failed on durable: {}", l, e.toString());
            }
        }
    }

    private void announceDrops(List<SeqRange> drops, boolean counted) {
        if (drops == null || drops.isEmpty()) {
            return;
        }
        pendingAlerts.dropped(drops, counted);
        for (OutboxListener l : listeners) {
            for (SeqRange r : drops) {
                try {
                    l.dropped(r);
                } catch (RuntimeException e) {
                    LOG.warn("Outbox listener {} failed on dropped: {}", l, e.toString());
                }
            }
        }
    }

    private void noteOpenReport(OutboxStore opened) {
        announceDurable(opened.durableSeq()); // a reopened store starts with everything it holds durable
        OutboxStore.OpenReport report = opened.openReport();
        if (report == null) {
            return;
        }
        if (report.corruptMovedTo() != null) {
            pendingAlerts.immediate(new Alert(site.gateway.api.status.Severity.CRITICAL, "buffer.corrupt",
                    "Buffer file could not be opened and was moved to " + report.corruptMovedTo()
                            + "; started a fresh buffer (" + report.corruptReason() + ")",
                    null, Map.of("movedTo", report.corruptMovedTo().toString())));
            record("buffer.corrupt", "recovered", String.valueOf(report.corruptMovedTo()));
        }
        if (report.lostRange() != null) {
            // Seqs possibly used before an unclean stop whose messages were not stored: announce them.
            announceDrops(List.of(report.lostRange()), false);
        }
    }

    /** Runs on the ticker: raises what accumulated, outside every lock. */
    synchronized void raiseDueAlerts() {
        try {
            Alerts target = alerts;
            if (target == null) {
                return;
            }
            if (queue == null) {
                // unavailable: the alert service logs what it cannot store
                pendingAlerts.takeImmediate().forEach(target::raise);
                return;
            }
            OutboxSettings s = settings;
            for (Alert a : pendingAlerts.due(stats(), s.limits().maxBytes(), s.highWaterPercent(), this::fateOf)) {
                raiseCapturingSeq(target, a);
            }
        } catch (RuntimeException e) {
            LOG.warn("Raising buffer alerts failed: {}", e.toString());
        }
    }

    /**
     * Raises the alert; when the alerts service stores it in this outbox (it does: alerts are durable
     * messages), the seq it got is noted, so that the next {@code buffer.dropped} alert waits until this
     * one is acknowledged.
     */
    private void raiseCapturingSeq(Alerts target, Alert alert) {
        capturedSeq = 0;
        capturingThread = Thread.currentThread();
        try {
            target.raise(alert);
        } finally {
            capturingThread = null;
        }
        pendingAlerts.raised(alert, capturedSeq);
    }

    private OutboxAlerts.Fate fateOf(long seq) {
        OutboxStore q = queue;
        if (seq <= q.lastAckedSeq()) {
            return OutboxAlerts.Fate.DELIVERED;
        }
        return q.holds(seq) ? OutboxAlerts.Fate.HELD : OutboxAlerts.Fate.LOST;
    }

    /** For tests: the alert bookkeeping. */
    OutboxAlerts pendingAlerts() {
        return pendingAlerts;
    }

    private void record(String action, String outcome, String detail) {
        AuditTrail trail = audit;
        if (trail != null) {
            trail.record("system", action, OutboxConfig.PID, outcome, Map.of("detail", detail));
        }
    }
}
