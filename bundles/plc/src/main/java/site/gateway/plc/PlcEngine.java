package site.gateway.plc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcException.Reason;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/**
 * Runs one PLC: one connection and one thread. Polls, command reads and writes all run on that thread, so
 * they never interleave on the connection. With {@code acquisition = subscribe} and a driver that can,
 * each new connection is read once and then followed through change-of-state subscriptions, whose
 * events are handed to the same thread; the poll tick then only watches the connection. A failed connection is closed and dropped at once and a NEW
 * PLC4X connection object is made for each attempt: PLC4X keeps per-connection state (event loop groups
 * of failed channels) that would pile up if one connection object were re-connected again and again.
 *
 * <p>Over 300 lines because everything that touches the connection runs on its one thread and shares its state
 * (connection, parsed tags, subscription, backoff, status): connecting, polling, subscribing, command reads and
 * writes. Opening, value conversion, encoding and subscriptions are already separate ({@link Connector},
 * {@link Values}, {@link TelemetryEncoder}, {@link ChangeSubscription}).
 */
final class PlcEngine {
    /** Told about readings and state changes; called on the PLC's thread, must return quickly. */
    interface Listener {
        /** Returns true when the readings were buffered; false when the buffer refused them (sent again later). */
        boolean telemetry(PlcSettings settings, long ts, List<TagValue> readings);

        void statusChanged(PlcStatus status, PlcStatus previous);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PlcEngine.class);
    /** How long after start a missing driver is taken as "still starting" rather than a problem. */
    static final long DRIVER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PlcSettings settings;
    private final DriverCatalog drivers;
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private final Backoff backoff;
    private final ChangeFilter changes = new ChangeFilter();
    private final IntervalRecorder pollIntervals = new IntervalRecorder(8192);
    private final IntervalRecorder readLatency = new IntervalRecorder(8192);
    private final ReadCounter readCounter = new ReadCounter();
    private final AtomicLong connectAttempts = new AtomicLong();
    private final List<TagSpec> allTags;

    // Confined to the PLC's thread.
    private PlcConnection connection;
    private PlcDriver connectionDriver;
    private Runnable connectionLeftovers = () -> { }; // released after the current connection is closed
    private Map<String, PlcTag> parsedTags = new HashMap<>();
    private Optional<PlcReadRequest> pollRequest; // every parsable tag, on the current connection; null until built
    private long nextAttemptNanos;
    private long lastPollNanos;
    private ChangeSubscription.Outcome subscription; // on the current connection; null until tried
    private boolean lastPublishedAllBad;

    private volatile PlcStatus status;
    private volatile boolean stopped;
    private volatile boolean subscribed; // mirrors subscription.active() for observers
    private final long startedNanos = System.nanoTime();

    PlcEngine(PlcSettings settings, DriverCatalog drivers, Listener listener) {
        this.settings = settings;
        this.drivers = drivers;
        this.listener = listener;
        this.backoff = new Backoff(settings.backoff());
        this.allTags = List.copyOf(settings.tags().values());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "plc-" + settings.plcId());
            t.setDaemon(true);
            return t;
        });
        this.status = settings.enabled()
                ? new PlcStatus(settings.plcId(), settings.driverCode(), PlcState.UNREACHABLE, 0, "not connected yet")
                : new PlcStatus(settings.plcId(), settings.driverCode(), PlcState.DISABLED, 0, "disabled by configuration");
    }

    PlcSettings settings() {
        return settings;
    }

    PlcStatus status() {
        return status;
    }

    IntervalRecorder pollIntervals() {
        return pollIntervals;
    }

    IntervalRecorder readLatency() {
        return readLatency;
    }

    PlcReadStats readStats() {
        return readCounter.snapshot(settings.plcId(), settings.driverCode());
    }

    long connectAttempts() {
        return connectAttempts.get();
    }

    /** True while values come from change subscriptions rather than polls. */
    boolean subscribed() {
        return subscribed;
    }

    void start() {
        if (settings.enabled()) {
            thread.scheduleAtFixedRate(this::pollSafely, 0, settings.pollIntervalMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the connection and ends the thread; waits for both. */
    void stop() {
        stopped = true;
        try {
            thread.submit(this::closeConnection);
        } catch (RejectedExecutionException alreadyStopped) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(settings.requestTimeoutMs() + 5000, TimeUnit.MILLISECONDS)) {
                LOG.warn("PLC {}: thread did not stop in time, interrupting it", settings.plcId());
                thread.shutdownNow();
                thread.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The set of PlcDriver services changed: drop a vanished driver at once, retry soon if one arrived. */
    void driversChanged() {
        submitQuietly(() -> {
            PlcDriver current = drivers.driver(settings.driverCode());
            if (connection != null && current != connectionDriver) {
                closeConnection();
                if (status.state() == PlcState.CONNECTED) {
                    markStale(System.currentTimeMillis());
                }
                changeStatus(PlcState.UNREACHABLE, current == null ? driverMissing() : "driver replaced, reconnecting");
            }
            if (current != null && connection == null) {
                // A (new) driver is here: try on the next poll, within one poll interval.
                backoff.reset();
                nextAttemptNanos = 0;
            }
        });
    }

    CompletionStage<List<TagValue>> read(List<String> tags, Duration timeout) {
        List<TagSpec> specs = new ArrayList<>();
        for (String tag : tags) {
            TagSpec spec = settings.tags().get(tag);
            if (spec == null) {
                return CompletableFuture.failedFuture(new PlcException(Reason.UNKNOWN_TAG,
                        "tag '" + tag + "' is not configured on PLC " + settings.plcId()));
            }
            specs.add(spec);
        }
        return onThread(() -> {
            requireConnection();
            return readTags(specs, System.currentTimeMillis());
        }, timeout);
    }

    CompletionStage<List<TagWrite>> write(List<TagWrite> writes, Duration timeout) {
        for (TagWrite write : writes) {
            TagSpec spec = settings.tags().get(write.tag());
            if (spec == null) {
                return CompletableFuture.failedFuture(new PlcException(Reason.UNKNOWN_TAG,
                        "tag '" + write.tag() + "' is not configured on PLC " + settings.plcId()));
            }
            // Second line of defence behind the command checks: nothing reaches the PLC unless the site allowed it.
            if (!spec.writable()) {
                return CompletableFuture.failedFuture(new PlcException(Reason.INVALID_VALUE,
                        "tag '" + write.tag() + "' of PLC " + settings.plcId() + " is not writable"));
            }
            java.util.Optional<String> refused = spec.writeRule().refusal(write.value());
            if (refused.isPresent()) {
                return CompletableFuture.failedFuture(new PlcException(Reason.INVALID_VALUE, refused.get()));
            }
        }
        return onThread(() -> {
            requireConnection();
            List<TagWrite> written = new ArrayList<>();
            for (TagWrite write : writes) {
                writeTag(write, written);
                written.add(write);
            }
            return written;
        }, timeout);
    }

    private interface PlcTask<T> {
        T run() throws PlcException;
    }

    private <T> CompletionStage<T> onThread(PlcTask<T> task, Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!settings.enabled()) {
            result.completeExceptionally(new PlcException(Reason.UNREACHABLE, "PLC " + settings.plcId() + " is disabled"));
            return result;
        }
        try {
            thread.execute(() -> {
                if (result.isDone()) {
                    return; // timed out while queued
                }
                try {
                    result.complete(task.run());
                } catch (PlcException e) {
                    result.completeExceptionally(e);
                } catch (RuntimeException e) {
                    result.completeExceptionally(new PlcException(Reason.REJECTED_BY_PLC, String.valueOf(e.getMessage()), e));
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new PlcException(Reason.UNREACHABLE, "PLC " + settings.plcId() + " is stopping"));
            return result;
        }
        long ms = timeout == null ? settings.requestTimeoutMs() : Math.max(1, timeout.toMillis());
        CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(() -> result.completeExceptionally(
                new PlcException(Reason.TIMEOUT, "PLC " + settings.plcId() + " did not answer within " + ms + " ms")));
        return result;
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException | LinkageError e) {
            // A driver bug must not end the fixed-rate schedule.
            LOG.error("PLC {}: unexpected error while polling", settings.plcId(), e);
            closeConnection();
            changeStatus(PlcState.UNREACHABLE, "driver error: " + e);
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMs());
        }
    }

    private void poll() {
        long now = System.nanoTime();
        if (lastPollNanos != 0) {
            pollIntervals.record(now - lastPollNanos);
        }
        lastPollNanos = now;
        if (stopped || !ensureConnected()) {
            return;
        }
        if (subscription != null && subscription.active()) {
            return; // values arrive as change events; this tick has checked the connection
        }
        long ts = System.currentTimeMillis();
        boolean wasConnected = status.state() == PlcState.CONNECTED;
        List<TagValue> readings;
        try {
            readings = readTags(allTags, ts);
        } catch (PlcException e) {
            if (wasConnected) {
                markStale(ts);
            }
            return;
        }
        publish(ts, readings);
        if (settings.subscribe() && subscription == null && connection != null) {
            subscribe();
        }
    }

    /** After the first full read on a connection: follow the tags through subscriptions if the driver can. */
    private void subscribe() {
        PlcConnection on = connection;
        Map<String, PlcTag> tags = new LinkedHashMap<>();
        for (TagSpec spec : settings.tags().values()) {
            PlcTag tag = parsedTag(spec);
            if (tag != null) {
                tags.put(spec.name(), tag);
            }
        }
        subscription = ChangeSubscription.open(on, tags, settings.requestTimeoutMs(),
                event -> submitQuietly(() -> changed(on, event)));
        subscribed = subscription.active();
        if (subscription.active()) {
            LOG.info("PLC {}: subscribed to changes of {} tags", settings.plcId(), tags.size());
        } else {
            LOG.warn("PLC {}: no subscription ({}); polling every {} ms", settings.plcId(), subscription.refusal(),
                    settings.pollIntervalMs());
        }
    }

    /** A change event, on the PLC's thread; events of an earlier connection are ignored. */
    private void changed(PlcConnection on, PlcSubscriptionEvent event) {
        if (on != connection || subscription == null || !subscription.active()) {
            return;
        }
        long now = System.currentTimeMillis();
        Instant at = event.getTimestamp();
        long ts = at == null ? now : at.toEpochMilli();
        List<TagValue> readings = new ArrayList<>();
        for (String name : event.getTagNames()) {
            TagSpec spec = settings.tags().get(name);
            if (spec != null) {
                readings.add(reading(spec, event.getResponseCode(name), event, ts));
            }
        }
        if (!readings.isEmpty()) {
            touchLastRead(now);
            publish(ts, readings);
        }
    }

    /** The values the WMS has are stale from now on: say so once, with bad readings. */
    private void markStale(long ts) {
        if (lastPublishedAllBad) {
            return;
        }
        List<TagValue> bad = new ArrayList<>();
        for (String tag : settings.tags().keySet()) {
            bad.add(new TagValue(tag, null, Quality.BAD, ts));
        }
        publish(ts, bad);
    }

    private void publish(long ts, List<TagValue> readings) {
        lastPublishedAllBad = readings.stream().allMatch(r -> r.quality() == Quality.BAD);
        List<TagValue> send = new ArrayList<>(readings.size());
        for (TagValue reading : readings) {
            if (changes.wants(settings.tags().get(reading.tag()), reading)) {
                send.add(reading);
            }
        }
        if (send.isEmpty()) {
            return;
        }
        boolean buffered;
        try {
            buffered = listener.telemetry(settings, ts, send);
        } catch (RuntimeException e) {
            // Not a PLC fault: the connection stays up; the listener reports buffer problems itself.
            LOG.debug("PLC {}: telemetry not taken: {}", settings.plcId(), e.toString());
            buffered = false;
        }
        if (buffered) {
            for (TagValue reading : send) {
                changes.sent(settings.tags().get(reading.tag()), reading);
            }
        }
    }

    private void requireConnection() throws PlcException {
        if (!ensureConnected()) {
            PlcStatus s = status;
            throw new PlcException(Reason.UNREACHABLE, "PLC " + settings.plcId() + " is unreachable: " + s.reason());
        }
    }

    /** True when connected; otherwise tries to connect if the backoff allows it. */
    private boolean ensureConnected() {
        if (connection != null) {
            if (connection.isConnected()) {
                return true;
            }
            closeConnection();
            if (status.state() == PlcState.CONNECTED) {
                markStale(System.currentTimeMillis());
            }
            changeStatus(PlcState.UNREACHABLE, "connection lost");
            nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMs());
        }
        if (System.nanoTime() - nextAttemptNanos < 0) {
            return false;
        }
        PlcDriver driver = drivers.driver(settings.driverCode());
        if (driver == null) {
            // No point in backing off: driversChanged() makes the next poll try again. Right after start the
            // driver bundles may simply not be up yet: no alert for that during a short grace period.
            if (System.nanoTime() - startedNanos < DRIVER_GRACE_NANOS && status.lastReadTs() == 0) {
                PlcStatus s = status;
                status = new PlcStatus(s.plcId(), s.driver(), s.state(), s.lastReadTs(), "waiting for driver " + settings.driverCode());
            } else {
                changeStatus(PlcState.UNREACHABLE, driverMissing());
            }
            return false;
        }
        String failure = connect(driver);
        if (failure == null) {
            // Not "connected" yet: a TCP connection proves little (Modbus has no handshake). The first
            // successful read does; see readTags.
            changes.reset();
            return true;
        }
        long delay = backoff.nextDelayMs();
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        LOG.debug("PLC {}: connect failed ({}), next attempt in {} ms", settings.plcId(), failure, delay);
        changeStatus(PlcState.UNREACHABLE, failure);
        return false;
    }

    /** Connects a new connection object; null on success, else why not. */
    private String connect(PlcDriver driver) {
        connectAttempts.incrementAndGet();
        Connector.Attempt attempt = Connector.open(driver, drivers, settings.connection(), settings.requestTimeoutMs());
        if (attempt.connection() == null) {
            return attempt.failure();
        }
        connection = attempt.connection();
        connectionDriver = driver;
        connectionLeftovers = DriverLeftovers.capture(connection);
        LOG.debug("PLC {}: connection to {} open", settings.plcId(), settings.connectionForLog());
        return null;
    }

    private List<TagValue> readTags(List<TagSpec> specs, long ts) throws PlcException {
        // Polls read every tag with the same request: built once per connection, not on every poll.
        PlcReadRequest request;
        if (specs == allTags) {
            if (pollRequest == null) {
                pollRequest = Optional.ofNullable(buildReadRequest(allTags));
            }
            request = pollRequest.orElse(null);
        } else {
            request = buildReadRequest(specs);
        }
        PlcReadResponse response = null;
        if (request != null) {
            long start = System.nanoTime();
            try {
                response = await(request.execute(), "read");
            } catch (PlcException e) {
                readCounter.failed();
                throw e;
            }
            long took = System.nanoTime() - start;
            readLatency.record(took);
            readCounter.succeeded(took);
        }
        long readTs = System.currentTimeMillis();
        if (response != null) {
            touchLastRead(readTs);
        }
        List<TagValue> out = new ArrayList<>(specs.size());
        for (TagSpec spec : specs) {
            PlcResponseCode code = response == null || parsedTag(spec) == null
                    ? PlcResponseCode.INVALID_ADDRESS : response.getResponseCode(spec.name());
            out.add(reading(spec, code, response, readTs));
        }
        return out;
    }

    /**
     * A read request for the tags the driver can parse, or null if none: tags whose address the driver
     * cannot parse are left out (PLC4X 0.13.1 fails the whole request on them) and reported as bad on their own.
     */
    private PlcReadRequest buildReadRequest(List<TagSpec> specs) {
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        int valid = 0;
        for (TagSpec spec : specs) {
            PlcTag tag = parsedTag(spec);
            if (tag != null) {
                builder.addTag(spec.name(), tag);
                valid++;
            }
        }
        return valid == 0 ? null : builder.build();
    }

    /** A successful exchange with the PLC: remember when, and it is connected. */
    private void touchLastRead(long ts) {
        PlcStatus current = status;
        status = new PlcStatus(current.plcId(), current.driver(), current.state(), ts, current.reason());
        if (current.state() != PlcState.CONNECTED) {
            backoff.reset();
            changeStatus(PlcState.CONNECTED, null);
        }
    }

    /** One tag's reading from a read response or a subscription event. */
    private TagValue reading(TagSpec spec, PlcResponseCode code, PlcReadResponse response, long ts) {
        Quality quality = Values.quality(code);
        Object value = null;
        if (quality != Quality.BAD) {
            try {
                value = Values.toJava(response.getPlcValue(spec.name()));
            } catch (RuntimeException e) {
                LOG.debug("PLC {}: tag {} not convertible: {}", settings.plcId(), spec.name(), e.toString());
                quality = Quality.BAD;
            }
        }
        if (quality == Quality.BAD) {
            LOG.debug("PLC {}: tag {} ({}) read {}", settings.plcId(), spec.name(), spec.address(), code);
        }
        return new TagValue(spec.name(), value, quality, ts);
    }

    /** The driver's parsed form of the tag's address, cached per connection; null if it does not parse. */
    private PlcTag parsedTag(TagSpec spec) {
        if (parsedTags.containsKey(spec.name())) {
            return parsedTags.get(spec.name());
        }
        PlcTag tag;
        try {
            tag = connection.parseTagAddress(spec.address()).orElse(null);
        } catch (RuntimeException e) {
            tag = null;
        }
        if (tag == null) {
            LOG.warn("PLC {}: tag {} has an address the {} driver does not understand: '{}'; it reads as bad",
                    settings.plcId(), spec.name(), settings.driverCode(), spec.address());
        }
        parsedTags.put(spec.name(), tag);
        return tag;
    }

    private void writeTag(TagWrite write, List<TagWrite> written) throws PlcException {
        TagSpec spec = settings.tags().get(write.tag());
        PlcTag tag = parsedTag(spec);
        if (tag == null) {
            throw new PlcException(Reason.REJECTED_BY_PLC, "the " + settings.driverCode() + " driver does not understand the address '"
                    + spec.address() + "' of tag '" + write.tag() + "'" + writtenSoFar(written));
        }
        PlcWriteRequest request;
        try {
            Object value = Values.toPlc(write.value());
            request = connection.writeRequestBuilder().addTag(spec.name(), tag, value).build();
        } catch (RuntimeException e) {
            throw new PlcException(Reason.INVALID_VALUE, "tag '" + write.tag() + "' cannot take " + write.value()
                    + ": " + Connector.describe(e) + writtenSoFar(written));
        }
        PlcWriteResponse response = await(request.execute(), "write");
        PlcResponseCode code = response.getResponseCode(spec.name());
        if (code != PlcResponseCode.OK) {
            Reason reason = code == PlcResponseCode.INVALID_DATA || code == PlcResponseCode.INVALID_DATATYPE
                    ? Reason.INVALID_VALUE : Reason.REJECTED_BY_PLC;
            throw new PlcException(reason, "PLC " + settings.plcId() + " refused the write of '" + write.tag()
                    + "': " + code + writtenSoFar(written));
        }
    }

    private static String writtenSoFar(List<TagWrite> written) {
        return written.isEmpty() ? "" : " (already written: " + written.stream().map(TagWrite::tag).toList() + ")";
    }

    /** Waits for a request; on failure the connection is dropped, since its stream may be out of step. */
    private <T> T await(CompletableFuture<T> future, String what) throws PlcException {
        try {
            return future.get(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            fail(what + " got no answer within " + settings.requestTimeoutMs() + " ms");
            throw new PlcException(Reason.TIMEOUT, "PLC " + settings.plcId() + ": " + what + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlcException(Reason.UNREACHABLE, "PLC " + settings.plcId() + " is stopping");
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            fail(what + " failed: " + Connector.describe(cause));
            throw new PlcException(Reason.UNREACHABLE, "PLC " + settings.plcId() + ": " + what + " failed: " + Connector.describe(cause), cause);
        }
    }

    private void fail(String reason) {
        LOG.debug("PLC {}: {}; reconnecting", settings.plcId(), reason);
        closeConnection();
        changeStatus(PlcState.UNREACHABLE, reason);
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMs());
    }

    private void closeConnection() {
        PlcConnection current = connection;
        ChangeSubscription.Outcome subscribed = subscription;
        connection = null;
        connectionDriver = null;
        subscription = null;
        this.subscribed = false;
        parsedTags = new HashMap<>();
        pollRequest = null;
        if (current != null && subscribed != null) {
            ChangeSubscription.close(current, subscribed.handles(), settings.requestTimeoutMs());
        }
        Connector.closeQuietly(current);
        connectionLeftovers.run();
        connectionLeftovers = () -> { };
    }

    private String driverMissing() {
        return "driver " + settings.driverCode() + " not available";
    }

    private void changeStatus(PlcState state, String reason) {
        PlcStatus previous = status;
        PlcStatus next = new PlcStatus(settings.plcId(), settings.driverCode(), state, previous.lastReadTs(), reason);
        if (next.state() == previous.state() && java.util.Objects.equals(next.reason(), previous.reason())) {
            return;
        }
        status = next;
        if (stopped) {
            return;
        }
        if (state == PlcState.UNREACHABLE && previous.state() != PlcState.UNREACHABLE) {
            LOG.warn("PLC {} unreachable: {}", settings.plcId(), reason);
        } else if (state == PlcState.CONNECTED) {
            LOG.info("PLC {} connected to {}", settings.plcId(), settings.connectionForLog());
        }
        listener.statusChanged(next, previous);
    }

    private void submitQuietly(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopping) {
            // stopping: nothing to do
        }
    }
}
