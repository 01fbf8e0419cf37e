package site.gateway.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.LongDataType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.OutboxStore;

/**
 * Append + read + acknowledge of ~300-byte telemetry, {@value #BATCH} messages per invocation, the
 * way the transport uses the outbox: append at the tail, read a batch from the head, acknowledge it.
 * With a backlog, the head is {@code backlog} messages behind the tail and stays so. Side by side:
 * the real store, a bare MVStore map doing the same puts/removes of the same values, and a Kura-style H2 table.
 * All three commit and sync every 100 ms (the store via syncIntervalMs=100). The store and the bare map read and
 * acknowledge only what a sync has made durable, as the transport sends only durable messages (until December 7,
 * 2026 they acknowledged messages not committed yet, which a one-map store then never wrote at all).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class OutboxBench {
    static final int BATCH = 100;
    static final long SYNC_MS = 100;

    /** A Blackhole for running these benchmarks' methods outside JMH (the harnesses that alternate store and bare map). */
    static Blackhole blackhole() {
        return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    }

    @State(Scope.Benchmark)
    public static class StoreState {
        @Param({"0", "50000"})
        int backlog;
        /** The commit/sync interval; EndToEndHarness sets the shipped default. */
        long syncMs = SYNC_MS;
        Path dir;
        OutboxStore store;
        long head = 1;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Dirs.temp("bench-store");
            store = OutboxStore.open(dir, new Limits(8L << 30, FullPolicy.DROP_OLDEST, syncMs), System::currentTimeMillis);
            for (int i = 0; i < backlog; i++) {
                store.append(MessageType.TELEMETRY, Telemetry.JSON);
            }
            head = store.read(0, 1).isEmpty() ? 1 : store.read(0, 1).get(0).seq();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            System.out.printf("%n[store] file %d bytes, %d messages buffered%n", store.fileSize(),
                    store.stats().messages());
            store.close();
            Dirs.delete(dir);
        }
    }

    /**
     * The ceiling: a bare MVStore map (MVStore's defaults) holding the same keys and values as the store (the
     * {@link BareRecord} bytes, stamped with the time of the put as the store stamps createdAt), with commit +
     * sync spaced as the store's committer spaces them under load: a cycle starts {@code syncMs} after the
     * previous one started, or at once if that one took longer.
     */
    @State(Scope.Benchmark)
    public static class BareMapState {
        @Param({"0", "50000"})
        int backlog;
        long syncMs = SYNC_MS;
        Path dir;
        MVStore store;
        MVMap<Long, BareRecord> map;
        Thread committer;
        volatile boolean running;
        long next = 1;
        long head = 1;
        /** The last key put, published for the committer. */
        volatile long appendedUpTo;
        /** The last key a synced commit holds: only keys up to it are read and removed. */
        volatile long durableUpTo;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Dirs.temp("bench-bare");
            store = new MVStore.Builder().fileName(dir.resolve("bare.mv.db").toString()).open();
            map = store.openMap("q", new MVMap.Builder<Long, BareRecord>().keyType(LongDataType.INSTANCE)
                    .valueType(BareRecord.Type.INSTANCE));
            for (int i = 0; i < backlog; i++) {
                map.put(next++, new BareRecord(BareRecord.TELEMETRY, System.currentTimeMillis(), Telemetry.JSON));
            }
            appendedUpTo = next - 1;
            running = true;
            committer = new Thread(() -> {
                while (running) {
                    long start = System.nanoTime();
                    long upTo = appendedUpTo;
                    store.commit();
                    store.sync();
                    durableUpTo = upTo;
                    LockSupport.parkNanos(start + syncMs * 1_000_000L - System.nanoTime());
                }
            }, "bench-bare-commit");
            committer.setDaemon(true);
            committer.start();
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            running = false; // no interrupt: an interrupt during a write closes the store's file channel
            committer.join(10_000);
            System.out.printf("%n[bare] file %d bytes%n", store.getFileStore().size());
            store.close();
            Dirs.delete(dir);
        }
    }

    /**
     * Eclipse Kura's store-and-forward table (DbDataStore), per message as Kura does it: capacity check
     * with COUNT(*), insert, commit, read the stored row back by id; next message by {@code WHERE
     * publishedOn IS NULL ORDER BY priority, createdOn LIMIT 1}; mark published; on the ack mark
     * confirmed; the housekeeper's delete of confirmed rows runs here once per batch. {@code index}:
     * {@code nextMsg} is Kura's index since 2.0.4 ({@code priority, createdOn, publishedOn, qos}),
     * {@code publishedOn} the index it replaced.
     */
    @State(Scope.Benchmark)
    public static class KuraState {
        @Param({"0", "50000"})
        int backlog;
        @Param({"nextMsg", "publishedOn"})
        String index;
        Path dir;
        Connection conn;
        PreparedStatement count;
        PreparedStatement insert;
        PreparedStatement next;
        PreparedStatement publish;
        PreparedStatement confirm;
        PreparedStatement byId;
        PreparedStatement delete;
        ScheduledExecutorService syncer;

        @Setup(Level.Trial)
        public void open() throws Exception {
            dir = Dirs.temp("bench-kura");
            conn = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("kura") + ";WRITE_DELAY=" + SYNC_MS,
                    "sa", "");
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE TABLE ds_messages (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "topic VARCHAR(32767), qos INTEGER, retain BOOLEAN, createdOn TIMESTAMP, publishedOn TIMESTAMP, "
                        + "publishedMessageId INTEGER, confirmedOn TIMESTAMP, payload VARBINARY(16777216), "
                        + "priority INTEGER, sessionId VARCHAR(32767), droppedOn TIMESTAMP)");
                s.execute("nextMsg".equals(index)
                        ? "CREATE INDEX ds_messages_nextMsg ON ds_messages (priority ASC, createdOn ASC, publishedOn, qos)"
                        : "CREATE INDEX ds_messages_publishedOn ON ds_messages (publishedOn)");
            }
            count = conn.prepareStatement("SELECT COUNT(*) FROM ds_messages");
            insert = conn.prepareStatement("INSERT INTO ds_messages (topic, qos, retain, createdOn, publishedOn, "
                    + "publishedMessageId, confirmedOn, payload, priority, sessionId, droppedOn) "
                    + "VALUES (?, 1, false, ?, NULL, -1, NULL, ?, 4, NULL, NULL)", Statement.RETURN_GENERATED_KEYS);
            next = conn.prepareStatement("SELECT id, topic, qos, retain, createdOn, payload, priority FROM ds_messages "
                    + "WHERE publishedOn IS NULL ORDER BY priority ASC, createdOn ASC LIMIT 1");
            publish = conn.prepareStatement("UPDATE ds_messages SET publishedOn = ?, publishedMessageId = ? WHERE id = ?");
            confirm = conn.prepareStatement("UPDATE ds_messages SET confirmedOn = ? WHERE id = ?");
            byId = conn.prepareStatement("SELECT id, topic, qos, retain, createdOn, publishedOn, publishedMessageId, "
                    + "confirmedOn, payload, priority, sessionId, droppedOn FROM ds_messages WHERE id = ?");
            delete = conn.prepareStatement("DELETE FROM ds_messages WHERE confirmedOn IS NOT NULL AND id <= ?");
            for (int i = 0; i < backlog; i++) {
                insert(this);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            conn.close();
            Dirs.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void store(StoreState s, Blackhole bh) throws Exception {
        for (int i = 0; i < BATCH; i++) {
            s.store.append(MessageType.TELEMETRY, Telemetry.JSON);
        }
        long durable = s.store.durableSeq();
        if (durable < s.head) {
            return;
        }
        List<OutboxEntry> batch = s.store.read(s.head, (int) Math.min(BATCH, durable - s.head + 1));
        long last = 0;
        for (OutboxEntry e : batch) {
            bh.consume(e.json());
            last = e.seq();
        }
        s.store.acknowledge(last);
        s.head = last + 1;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bareMap(BareMapState s, Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            s.map.put(s.next++, new BareRecord(BareRecord.TELEMETRY, System.currentTimeMillis(), Telemetry.JSON));
        }
        s.appendedUpTo = s.next - 1;
        Cursor<Long, BareRecord> c = s.map.cursor(s.head, s.durableUpTo, false);
        long[] keys = new long[BATCH];
        int n = 0;
        while (n < BATCH && c.hasNext()) {
            keys[n++] = c.next();
            bh.consume(c.getValue().json());
        }
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            s.map.remove(keys[i]);
        }
        s.head = keys[n - 1] + 1;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void kuraTable(KuraState s, Blackhole bh) throws SQLException {
        for (int i = 0; i < BATCH; i++) {
            insert(s);
        }
        long last = 0;
        long[] ids = new long[BATCH];
        int n = 0;
        for (int i = 0; i < BATCH; i++) {
            try (ResultSet rs = s.next.executeQuery()) {
                if (!rs.next()) {
                    break;
                }
                last = rs.getLong(1);
                bh.consume(rs.getBytes(6));
            }
            ids[n++] = last;
            s.publish.setTimestamp(1, new Timestamp(System.currentTimeMillis()));
            s.publish.setLong(2, last);
            s.publish.setLong(3, last);
            s.publish.executeUpdate();
        }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        for (int i = 0; i < n; i++) {
            s.confirm.setTimestamp(1, now);
            s.confirm.setLong(2, ids[i]);
            s.confirm.executeUpdate();
        }
        s.delete.setLong(1, last);
        s.delete.executeUpdate();
    }

    private static void insert(KuraState s) throws SQLException {
        try (ResultSet rs = s.count.executeQuery()) {
            rs.next();
        }
        s.insert.setString(1, "acme/gw-madrid-01/telemetry");
        s.insert.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
        s.insert.setBytes(3, Telemetry.JSON);
        s.insert.executeUpdate();
        long id;
        try (ResultSet keys = s.insert.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
        }
        s.byId.setLong(1, id);
        try (ResultSet row = s.byId.executeQuery()) {
            row.next();
        }
    }
}
