package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.OutboxListener;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/**
 * Issue 11.1 and 11.5: under drop-oldest, every seq is either delivered or announced dropped, the
 * ranges of the {@code buffer.dropped} alerts are exactly the dropped ranges, and a long drop-oldest
 * period produces one pending alert and a handful of ranges, not one of each per second.
 */
class DropLedgerTest {
    static final long ONE = FullPolicyTest.ONE;

    @TempDir
    Path home;
    OutboxComponent buffer;
    final List<Alert> raised = new CopyOnWriteArrayList<>();
    final List<SeqRange> droppedHeard = new CopyOnWriteArrayList<>();

    final Alerts alerts = alert -> {
        raised.add(alert);
        try {
            buffer.append(MessageType.ALERT, ("{\"type\":\"alert\",\"code\":\"" + alert.code() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (OutboxFullException e) {
            // refused like any other message
        }
    };

    @AfterEach
    void stop() {
        if (buffer != null) {
            buffer.deactivate();
        }
    }

    void start(long maxBytes) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("directory", home.resolve("buffer").toString());
        m.put("maxBytes", maxBytes);
        m.put("syncIntervalMs", 1L);
        buffer = new OutboxComponent();
        buffer.alerts = alerts;
        buffer.addListener(new OutboxListener() {
            @Override
            public void dropped(SeqRange range) {
                droppedHeard.add(range);
            }
        });
        buffer.activate(Converters.standardConverter().convert(m).to(OutboxConfig.class));
    }

    @Test
    void concurrentAppendDropAndAcknowledgeNeverLeaveASeqNeitherHeldNorDropped() throws Exception {
        try (OutboxStore store = OutboxStore.open(home, new Limits(50 * ONE, FullPolicy.DROP_OLDEST, 1),
                System::currentTimeMillis)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                threads.add(new Thread(() -> {
                    Random r = new Random(id);
                    try {
                        for (int n = 0; n < 30_000 && failure.get() == null; n++) {
                            MessageType type = r.nextInt(20) == 0 ? MessageType.ALERT : MessageType.TELEMETRY;
                            store.append(type, type == MessageType.ALERT ? Messages.alert(n) : Messages.telemetry(n));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            // The WMS: reads what is durable and acknowledges what it has seen or heard announced.
            threads.add(new Thread(() -> {
                Random r = new Random(7);
                try {
                    while (!stop.get() && failure.get() == null) {
                        long from = store.lastAckedSeq() + 1;
                        long durable = store.durableSeq();
                        List<OutboxEntry> got = store.read(from, 1 + r.nextInt(40));
                        long upTo = coveredPrefix(store.lastAckedSeq(), got, store.droppedRanges(), durable);
                        store.acknowledge(upTo);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
            threads.add(new Thread(() -> {
                Random r = new Random(9);
                try {
                    while (!stop.get() && failure.get() == null) {
                        store.checkLedger();
                        if (r.nextInt(50) == 0) {
                            long max = (20 + r.nextInt(60)) * ONE;
                            store.setLimits(new Limits(max, FullPolicy.DROP_OLDEST, 1));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
            threads.forEach(Thread::start);
            for (int i = 0; i < 3; i++) {
                threads.get(i).join();
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failure.get()).as("no thread failed and the ledger held throughout").isNull();
            store.checkLedger();
            assertThat(store.stats().droppedTotal()).as("the hammer did drop").isGreaterThan(1000);
        }
    }

    /** Highest N such that every seq up to N is acked, read (and durable) or inside an announced range. */
    private static long coveredPrefix(long acked, List<OutboxEntry> read, List<SeqRange> dropped, long durable) {
        TreeMap<Long, Long> ranges = new TreeMap<>();
        dropped.forEach(r -> ranges.put(r.from(), r.to()));
        long covered = acked;
        int i = 0;
        while (true) {
            Map.Entry<Long, Long> r = ranges.floorEntry(covered + 1);
            if (r != null && r.getValue() > covered) {
                covered = r.getValue();
                continue;
            }
            while (i < read.size() && read.get(i).seq() <= covered) {
                i++;
            }
            if (i < read.size() && read.get(i).seq() == covered + 1 && covered + 1 <= durable) {
                covered++;
                i++;
                continue;
            }
            return covered;
        }
    }

    @Test
    void theRangesOfTheDroppedAlertsAreExactlyTheDroppedSeqs() throws Exception {
        start(40 * ONE);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Map<Long, Boolean> delivered = new ConcurrentHashMap<>();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            producers.add(new Thread(() -> {
                try {
                    for (int n = 0; n < 20_000; n++) {
                        buffer.append(MessageType.TELEMETRY, Messages.telemetry(n));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        Thread wms = new Thread(() -> {
            try {
                while (!stop.get()) {
                    long durable = buffer.durableSeq();
                    List<OutboxEntry> got = buffer.read(buffer.lastAckedSeq() + 1, 20);
                    got.stream().filter(e -> e.seq() <= durable).forEach(e -> delivered.put(e.seq(), true));
                    buffer.acknowledge(coveredPrefix(buffer.lastAckedSeq(), got, buffer.droppedRanges(), durable));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        wms.start();
        producers.forEach(Thread::start);
        for (Thread p : producers) {
            p.join();
        }
        // Drain: the WMS catches up and the last buffer.dropped alerts go out and are acknowledged.
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
            buffer.queue().checkLedger();
            return failure.get() != null || buffer.lastAckedSeq() == buffer.nextSeq() - 1
                    && buffer.pendingAlerts().pendingRanges() == 0 && buffer.pendingAlerts().outstandingAlerts() == 0
                    && buffer.stats().messages() == 0;
        });
        stop.set(true);
        wms.join();
        assertThat(failure.get()).isNull();

        TreeMap<Long, Long> heard = union(droppedHeard);
        List<SeqRange> alertRanges = new ArrayList<>();
        long alertCount = 0;
        for (Alert a : raised) {
            if (a.code().equals("buffer.dropped")) {
                @SuppressWarnings("unchecked")
                List<List<Long>> wire = (List<List<Long>>) a.fields().get("ranges");
                wire.forEach(r -> alertRanges.add(new SeqRange(r.get(0), r.get(1))));
                alertCount += ((Number) a.fields().get("count")).longValue();
            }
        }
        assertThat(heard).as("something was dropped").isNotEmpty();
        assertThat(union(alertRanges)).as("alert ranges = announced ranges").isEqualTo(heard);
        assertThat(alertCount).isEqualTo(buffer.stats().droppedTotal());
        for (long seq = 1; seq < buffer.nextSeq(); seq++) {
            Map.Entry<Long, Long> r = heard.floorEntry(seq);
            boolean dropped = r != null && r.getValue() >= seq;
            assertThat(delivered.containsKey(seq) || dropped).as("seq %d delivered or announced dropped", seq).isTrue();
        }
    }

    @Test
    void hoursOfDropOldestWhileTheWmsIsDownMakeOnePendingAlertAndFewRanges() throws Exception {
        start(200 * ONE);
        // 4 simulated hours: 5 telemetry messages a second, the alert tick once a simulated second.
        int seconds = 4 * 3600;
        for (int s = 0; s < seconds; s++) {
            for (int i = 0; i < 5; i++) {
                buffer.append(MessageType.TELEMETRY, Messages.telemetry(s));
            }
            buffer.raiseDueAlerts();
        }
        long dropAlerts = raised.stream().filter(a -> a.code().equals("buffer.dropped")).count();
        assertThat(dropAlerts).as("one buffer.dropped alert while the first is not acknowledged").isEqualTo(1);
        assertThat(buffer.droppedRanges()).as("dropped ranges stay few").hasSizeLessThanOrEqualTo(3);
        assertThat(buffer.pendingAlerts().pendingRanges()).as("pending alert ranges stay few").isLessThanOrEqualTo(3);
        assertThat(buffer.stats().droppedTotal()).isGreaterThan(70_000);

        // The WMS comes back and acknowledges everything: the next tick reports all the rest at once.
        buffer.acknowledge(buffer.nextSeq() - 1);
        buffer.raiseDueAlerts();
        List<Alert> drops = raised.stream().filter(a -> a.code().equals("buffer.dropped")).toList();
        assertThat(drops).hasSize(2);
        long count = drops.stream().mapToLong(a -> ((Number) a.fields().get("count")).longValue()).sum();
        assertThat(count).isEqualTo(buffer.stats().droppedTotal());
        List<SeqRange> alertRanges = new ArrayList<>();
        for (Alert a : drops) {
            @SuppressWarnings("unchecked")
            List<List<Long>> wire = (List<List<Long>>) a.fields().get("ranges");
            wire.forEach(r -> alertRanges.add(new SeqRange(r.get(0), r.get(1))));
        }
        assertThat(union(alertRanges)).isEqualTo(union(droppedHeard));
    }

    private static TreeMap<Long, Long> union(List<SeqRange> ranges) {
        List<SeqRange> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.from(), b.from()));
        TreeMap<Long, Long> out = new TreeMap<>();
        for (SeqRange r : sorted) {
            Map.Entry<Long, Long> last = out.lastEntry();
            if (last != null && last.getValue() >= r.from() - 1) {
                out.put(last.getKey(), Math.max(last.getValue(), r.to()));
            } else {
                out.put(r.from(), r.to());
            }
        }
        return out;
    }
}
