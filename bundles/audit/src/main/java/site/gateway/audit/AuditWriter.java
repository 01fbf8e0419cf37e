package site.gateway.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.audit.AuditEvent;
import site.gateway.support.thread.DaemonThreads;

/**
 * Puts audit entries on disk without making callers wait: {@link #submit} only offers the entry to a
 * bounded queue, one thread writes. When the queue is full the entry is counted as lost; when the
 * disk fails the writer keeps what it holds and retries. Either way the gateway goes on, an alert is
 * raised once per episode, and the loss is written to the trail as soon as writing works again.
 *
 * <p>Flush policy: after each batch (all that was queued, up to {@value #BATCH} entries) the lines are
 * written to the file, so a JVM crash loses nothing that was written; they are forced to the device
 * at most every {@code syncIntervalMs} (0: after every batch), on rotation and on close.
 *
 * <p>Over 300 lines because queueing, batching, the flush policy, disk-failure retry and loss accounting share
 * the writer thread's state; the files themselves (chained lines, rotation, retention, crash recovery) are
 * {@link ChainLog}.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 512;
    private static final long POLL_MS = 100;
    /**
     * How long the writer waits for an entry when nothing is left to sync: an idle trail needs no timer. Each
     * entry wakes it, and so does close() (it submits audit.stopped); this only bounds a missed wake-up.
     */
    private static final long IDLE_POLL_MS = 5_000;
    private static final long ALERT_INTERVAL_MS = 60_000;
    static final String ACTOR = "audit";
    private static final String WRITE_FAILED = "audit.write-failed";

    /** An entry waiting to be written, with the time it was recorded. */
    record Pending(long ts, AuditEvent event) {
    }

    /** @param macKey authenticates each entry; null for a plain hash chain */
    record Settings(Path directory, long maxFileBytes, int maxFiles, int queueCapacity, long syncIntervalMs,
            long retryMs, MacKey macKey) {
    }

    /** Told (on a thread of its own, never the caller's) when the trail starts losing or failing. */
    interface Health {
        void degraded(String reason, boolean writeFailure);
    }

    private final Settings settings;
    private final Health health;
    private final BlockingQueue<Pending> queue;
    private final ChainLog log;
    private final HeadMark head;
    private volatile site.gateway.api.audit.AuditHead synced;
    private boolean headWriteFailed;
    private final ExecutorService notifier;
    private final Thread thread;
    private final AtomicLong lostTotal = new AtomicLong();

    // loss bookkeeping, shared by callers and the writer
    private final Object lossLock = new Object();
    private long lost;
    private long firstLossTs;
    private long lastLossTs;
    private boolean degraded;
    /** Why the trail is degraded now, null while it writes normally (read by health checks). */
    private volatile String problem;
    private long lastQueueAlertTs;
    private long lastWriteAlertTs;

    // writer thread only
    private final Deque<Pending> retry = new ArrayDeque<>();
    private long retryFirstSeq;
    private long failureSinceTs;
    private String failure;
    private boolean started;
    private long lastSyncTs;
    private long nextRetryTs;
    private volatile boolean stopping;

    AuditWriter(Settings settings, Health health) {
        this.settings = settings;
        this.health = health;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.log = new ChainLog(settings.directory(), settings.maxFileBytes(), settings.maxFiles(), settings.macKey(),
                LOG::warn);
        this.head = new HeadMark(HeadMark.beside(settings.directory()), settings.macKey());
        this.notifier = Executors.newSingleThreadExecutor(DaemonThreads.named("audit-alerts"));
        this.thread = DaemonThreads.named("audit-writer").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    /** Never blocks: a full queue counts the entry as lost. */
    void submit(AuditEvent event) {
        long now = System.currentTimeMillis();
        if (!queue.offer(new Pending(now, event))) {
            lostTotal.incrementAndGet();
            boolean first;
            synchronized (lossLock) {
                if (lost++ == 0) {
                    firstLossTs = now;
                }
                lastLossTs = now;
                first = !degraded;
                degraded = true;
            }
            if (first) {
                String reason = "audit queue full (" + settings.queueCapacity() + " entries): entries are being lost";
                notifyDegraded(reason, false);
            }
        }
    }

    long lostTotal() {
        return lostTotal.get();
    }

    /** The last entry forced to the device, as the high-water mark says; null before the first sync. */
    /** Why the trail is not writing normally, or null. */
    String problem() {
        return problem;
    }

    site.gateway.api.audit.AuditHead synced() {
        return synced;
    }

    long writtenTotal() {
        return log.flushed();
    }

    int queued() {
        return queue.size();
    }

    /** Records {@code audit.stopped}, writes what is queued and closes the file; waits up to 10 s. */
    @Override
    public void close() {
        submit(new AuditEvent("system", "audit.stopped", settings.directory().toString(), "ok", Map.of()));
        stopping = true;
        if (thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            // never started: nothing was written
            queue.clear();
        }
        notifier.shutdown();
    }

    /**
     * Logs and alerts a new degradation, at most once a minute per kind (queue full, write failure): under sustained overload episodes end
     * (the loss is written) and start again quickly, and the trail's own entries count every loss anyway.
     */
    private void notifyDegraded(String reason, boolean writeFailure) {
        problem = reason;
        long now = System.currentTimeMillis();
        synchronized (lossLock) {
            long last = writeFailure ? lastWriteAlertTs : lastQueueAlertTs;
            if (last != 0 && now - last < ALERT_INTERVAL_MS) {
                return;
            }
            if (writeFailure) {
                lastWriteAlertTs = now;
            } else {
                lastQueueAlertTs = now;
            }
        }
        LOG.error("Audit trail degraded: {}", reason);
        try {
            notifier.execute(() -> {
                try {
                    health.degraded(reason, writeFailure);
                } catch (RuntimeException e) {
                    LOG.warn("Raising the audit alert failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the log line above is all there is
        }
    }

    private void run() {
        try {
            while (true) {
                if (!log.isOpen()) {
                    long wait = nextRetryTs - System.currentTimeMillis();
                    if (wait > 0 && !stopping) {
                        pause(wait);
                        continue;
                    }
                    if (!reopen()) {
                        if (stopping) {
                            break;
                        }
                        nextRetryTs = System.currentTimeMillis() + settings.retryMs();
                        continue;
                    }
                }
                List<Pending> batch = nextBatch();
                if (batch.isEmpty()) {
                    if (stopping && queue.isEmpty() && retry.isEmpty()) {
                        break;
                    }
                    syncIfDue();
                    continue;
                }
                write(batch);
                if (stopping && !log.isOpen()) {
                    break; // a write failed while stopping: do not retry forever, finish() counts the rest
                }
            }
        } finally {
            finish();
        }
    }

    /** Retried entries first, then the lost/failure notes, then the queue. */
    private List<Pending> nextBatch() {
        List<Pending> batch = new ArrayList<>(retry);
        retry.clear();
        addNotes(batch);
        if (batch.size() < BATCH) {
            try {
                long wait = log.unsynced() ? POLL_MS : IDLE_POLL_MS; // a due sync needs the writer back soon
                Pending first = batch.isEmpty() && !stopping ? queue.poll(wait, TimeUnit.MILLISECONDS) : queue.poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
        }
        return batch;
    }

    private void addNotes(List<Pending> batch) {
        long now = System.currentTimeMillis();
        String dir = settings.directory().toString();
        if (failure != null) {
            batch.add(new Pending(now, new AuditEvent(ACTOR, WRITE_FAILED, dir, "failed",
                    Map.of("sinceTs", failureSinceTs, "untilTs", now, "error", failure))));
            failure = null;
        }
        for (ChainLog.Removed r : log.drainRemoved()) {
            batch.add(new Pending(now, new AuditEvent(ACTOR, "audit.file-removed", r.file(), "ok",
                    Map.of("fromSeq", r.fromSeq(), "toSeq", r.toSeq(), "reason", "retention (maxFiles)"))));
        }
        synchronized (lossLock) {
            if (lost > 0) {
                batch.add(new Pending(now, new AuditEvent(ACTOR, "audit.lost", dir, "lost",
                        Map.of("count", lost, "firstLossTs", firstLossTs, "lastLossTs", lastLossTs,
                                "reason", "queue full or writer stopped"))));
                lost = 0;
            }
        }
    }

    private void write(List<Pending> batch) {
        int done = 0;
        try {
            for (Pending p : batch) {
                log.append(p);
                done++;
            }
            log.flush();
            syncIfDue();
            synchronized (lossLock) {
                if (degraded && lost == 0) {
                    degraded = false;
                    problem = null;
                    LOG.info("Audit trail writing normally again in {}", settings.directory());
                }
            }
        } catch (IOException | RuntimeException e) {
            failed(e, batch.subList(done, batch.size()));
        }
    }

    private void failed(Exception e, List<Pending> notAppended) {
        long firstUnwritten = log.seq() + 1;
        retry.clear();
        retry.addAll(log.abandon());
        retry.addAll(notAppended);
        retryFirstSeq = firstUnwritten;
        nextRetryTs = System.currentTimeMillis() + settings.retryMs();
        if (failure == null) {
            failureSinceTs = System.currentTimeMillis();
        }
        // a failure note of this episode that could not be written yet is replaced by one note at the end
        for (java.util.Iterator<Pending> it = retry.iterator(); it.hasNext();) {
            Pending p = it.next();
            if (WRITE_FAILED.equals(p.event().action()) && ACTOR.equals(p.event().actor())) {
                failureSinceTs = Math.min(failureSinceTs, ((Number) p.event().details().get("sinceTs")).longValue());
                it.remove();
            }
        }
        failure = e.toString();
        boolean first;
        synchronized (lossLock) {
            first = !degraded;
            degraded = true;
        }
        LOG.error("Audit trail cannot write to {}: {}; holding {} entries and retrying every {} ms",
                settings.directory(), e, retry.size(), settings.retryMs());
        if (first) {
            notifyDegraded("audit trail cannot write to " + settings.directory() + ": " + e.getMessage(), true);
        }
    }

    /** (Re)opens the trail; entries of a failed batch that did reach the disk are not written twice. */
    private boolean reopen() {
        try {
            ChainLog.Recovery recovery = log.open(log.seq(), log.prev());
            long onDisk = log.seq() - (retryFirstSeq - 1);
            for (long i = 0; retryFirstSeq > 0 && i < onDisk && !retry.isEmpty(); i++) {
                retry.removeFirst();
            }
            retryFirstSeq = 0;
            long now = System.currentTimeMillis();
            String dir = settings.directory().toString();
            if (!started) {
                String problem = headProblem();
                if (problem != null) {
                    LOG.error("AUDIT TRAIL TRUNCATED OR EDITED: {}", problem);
                    retry.addFirst(new Pending(now, new AuditEvent(ACTOR, "audit.truncated", dir, "failed",
                            Map.of("reason", problem, "lastSeq", log.seq()))));
                    notifyDegraded(problem, true);
                }
                started = true;
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("lastSeq", log.seq());
                details.put("maxFileBytes", settings.maxFileBytes());
                details.put("maxFiles", settings.maxFiles());
                retry.addFirst(new Pending(now, new AuditEvent("system", "audit.started", dir, "ok", details)));
            }
            if (recovery != null) {
                LOG.warn("Audit file {} ended with a partial line ({} bytes, crash while writing): cut off",
                        recovery.file(), recovery.truncatedBytes());
                retry.addFirst(new Pending(now, new AuditEvent(ACTOR, "audit.recovered", recovery.file(), "ok",
                        Map.of("truncatedBytes", recovery.truncatedBytes(),
                                "reason", "partial last line (crash while writing)"))));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                failureSinceTs = System.currentTimeMillis();
                boolean first;
                synchronized (lossLock) {
                    first = !degraded;
                    degraded = true;
                }
                if (first) {
                    notifyDegraded("audit trail cannot open " + settings.directory() + ": " + e.getMessage(), true);
                }
                LOG.error("Audit trail cannot open {}: {}; retrying every {} ms", settings.directory(), e,
                        settings.retryMs());
            }
            failure = e.toString();
            log.abandon();
            return false;
        }
    }

    private void syncIfDue() {
        long now = System.currentTimeMillis();
        if (log.unsynced() && now - lastSyncTs >= settings.syncIntervalMs()) {
            try {
                log.sync();
                lastSyncTs = now;
                writeHead();
            } catch (IOException e) {
                failed(e, List.of());
            }
        }
    }

    private void pause(long ms) {
        long until = System.currentTimeMillis() + ms;
        while (!stopping && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(POLL_MS, ms));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Moves the high-water mark to what is now on the device (only after a sync: never ahead of the trail). */
    private void writeHead() {
        if (log.seq() == 0) {
            return;
        }
        try {
            head.write(log.seq(), log.prev());
            synced = new site.gateway.api.audit.AuditHead(log.seq(), log.prev());
            headWriteFailed = false;
        } catch (IOException e) {
            if (!headWriteFailed) {
                LOG.warn("Cannot write the audit high-water mark {}: {}", head.file(), e.toString());
            }
            headWriteFailed = true;
        }
    }

    /** Compares the trail with its high-water mark at start; a trail that ends before it was cut. */
    private String headProblem() {
        HeadMark.Mark mark;
        try {
            mark = head.read();
        } catch (IOException e) {
            return "cannot read the audit high-water mark " + head.file() + ": " + e;
        }
        if (mark == null) {
            return null;
        }
        if (!mark.macValid()) {
            return "the audit high-water mark " + head.file() + " does not verify (edited, or written with another key)";
        }
        if (mark.seq() > log.seq()) {
            return "the audit trail ends at seq " + log.seq() + " but its high-water mark " + head.file() + " is seq "
                    + mark.seq() + ": entries " + (log.seq() + 1) + ".." + mark.seq() + " were cut off";
        }
        if (mark.seq() == log.seq() && !mark.hash().equals(log.prev())) {
            return "the last audit entry (seq " + log.seq() + ") is not the one the high-water mark " + head.file() + " names";
        }
        return null;
    }

    private void finish() {
        try {
            log.close();
            writeHead();
        } catch (IOException e) {
            LOG.error("Closing the audit trail in {} failed: {}", settings.directory(), e.toString());
        }
        int left = retry.size() + queue.size();
        if (left > 0) {
            lostTotal.addAndGet(left);
            LOG.error("Audit trail stopped with {} entries not written (disk unavailable)", left);
        }
    }
}
