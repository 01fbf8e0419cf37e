package site.gateway.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.api.plc.WritableTag;

/**
 * In-memory PLCs for unit tests. Operations wait for {@link #gate} so that a test can hold a PLC busy;
 * {@link #started} counts operations that reached the PLC.
 */
final class FakePlcRegistry implements PlcRegistry {
    final Map<String, Map<String, Object>> values = new ConcurrentHashMap<>();
    final List<TagWrite> writeLog = new CopyOnWriteArrayList<>();
    final AtomicInteger started = new AtomicInteger();
    volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    volatile PlcException failure;
    volatile boolean failStatus;
    /** Told the {@code System.nanoTime()} of each write as it is applied. */
    volatile java.util.function.LongConsumer onWrite = t -> { };

    /** What commands may write, per PLC: every tag of {@link #plc} unless made read-only or given a range. */
    final Map<String, Map<String, WritableTag>> writable = new ConcurrentHashMap<>();

    FakePlcRegistry plc(String plcId, String... tags) {
        Map<String, Object> tagValues = new ConcurrentHashMap<>();
        Map<String, WritableTag> rules = new ConcurrentHashMap<>();
        for (String tag : tags) {
            tagValues.put(tag, 0L);
            rules.put(tag, new WritableTag(tag, null, null));
        }
        values.put(plcId, tagValues);
        writable.put(plcId, rules);
        return this;
    }

    FakePlcRegistry readOnly(String plcId, String tag) {
        writable.get(plcId).remove(tag);
        return this;
    }

    FakePlcRegistry range(String plcId, String tag, Double min, Double max) {
        writable.get(plcId).put(tag, new WritableTag(tag, min, max));
        return this;
    }

    @Override
    public Map<String, WritableTag> writableTags(String plcId) {
        Map<String, WritableTag> rules = writable.get(plcId);
        return rules == null ? Map.of() : Map.copyOf(rules);
    }

    void hold() {
        gate = new CompletableFuture<>();
    }

    void release() {
        gate.complete(null);
    }

    @Override
    public List<PlcStatus> statuses() {
        return values.keySet().stream().map(id -> status(id).orElseThrow()).toList();
    }

    @Override
    public Optional<PlcStatus> status(String plcId) {
        if (failStatus) {
            throw new IllegalStateException("registry broken");
        }
        return values.containsKey(plcId)
                ? Optional.of(new PlcStatus(plcId, "fake", PlcState.CONNECTED, 0, null)) : Optional.empty();
    }

    @Override
    public Set<String> tags(String plcId) {
        Map<String, Object> tags = values.get(plcId);
        return tags == null ? Set.of() : new LinkedHashSet<>(tags.keySet());
    }

    @Override
    public CompletionStage<List<TagValue>> read(String plcId, List<String> tags, Duration timeout) {
        started.incrementAndGet();
        return gate.thenApply(v -> {
            check();
            List<TagValue> result = new ArrayList<>();
            for (String tag : tags) {
                result.add(new TagValue(tag, values.get(plcId).get(tag), Quality.GOOD, System.currentTimeMillis()));
            }
            return result;
        });
    }

    @Override
    public CompletionStage<List<TagWrite>> write(String plcId, List<TagWrite> writes, Duration timeout) {
        started.incrementAndGet();
        return gate.thenApply(v -> {
            check();
            for (TagWrite w : writes) {
                values.get(plcId).put(w.tag(), w.value());
                writeLog.add(w);
            }
            onWrite.accept(System.nanoTime());
            return writes;
        });
    }

    private void check() {
        PlcException f = failure;
        if (f != null) {
            throw new CompletionException(f);
        }
    }
}
