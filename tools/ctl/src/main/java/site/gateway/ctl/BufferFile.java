package site.gateway.ctl;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * Reads the buffer file ({@code outbox.mv.db}) read-only. Its format is the storage bundle's
 * ({@code site.gateway.storage.Stored}, {@code OutboxStore}, {@code Segments}): maps keyed by seq; in the map
 * {@code outbox} key 0 is the meta record; keys above 0 are messages {@code [kind][createdAt: 8][varint
 * length][json]}, in the maps {@code outbox.<n>} (format 2, one per 16,384 seqs) or in {@code outbox} itself
 * (format 1); negative keys are dropped ranges. Messages at or below the last acknowledgement may still be in a
 * map (format 2 removes a map once all its seqs are acknowledged) and are not counted. Only lengths and stamps
 * are read, never the messages themselves.
 */
final class BufferFile {
    static final String FILE_NAME = "outbox.mv.db";
    private static final byte META = 100;
    /** site.gateway.storage.Records: HEADER (9) + KEY_OVERHEAD (8). */
    static final int PER_MESSAGE_OVERHEAD = 17;
    private static final String[] KINDS = {"telemetry", "command.result", "alert"};

    /** What the file holds. */
    record Stats(long messages, long jsonBytes, long firstSeq, long lastSeq, long oldestCreatedAt,
            long lastAcked, long droppedTotal, long rejectedTotal, long droppedRanges, Map<String, Long> byType,
            long fileBytes) {

        /** Bytes as the buffer counts them against maxBytes (and the console shows): JSON plus a per-message overhead. */
        long accountedBytes() {
            return jsonBytes + messages * PER_MESSAGE_OVERHEAD;
        }
    }

    /** Thrown when another process (a running gateway) holds the file. */
    static final class InUseException extends Exception {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    private BufferFile() {
    }

    static Stats read(Path file) throws InUseException {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        } catch (org.h2.mvstore.MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new InUseException(e.getMessage());
            }
            throw e;
        }
        try {
            MVMap<Long, Value> map = store.openMap("outbox",
                    new MVMap.Builder<Long, Value>().keyType(LongDataType.INSTANCE).valueType(ValueType.INSTANCE));
            long[] meta = new long[7];
            Value metaValue = map.get(0L);
            if (metaValue != null && metaValue.kind() == META && metaValue.meta() != null) {
                meta = metaValue.meta();
            }
            Map<String, Long> byType = new TreeMap<>();
            long messages = 0;
            long bytes = 0;
            long first = 0;
            long last = 0;
            long oldest = 0;
            long lastAcked = meta[2];
            long ranges = 0;
            for (MVMap<Long, Value> m : messageMaps(store, map)) {
                Cursor<Long, Value> cursor = m.cursor(lastAcked + 1);
                while (cursor.hasNext()) {
                    long seq = cursor.next();
                    Value value = cursor.getValue();
                    if (messages == 0) {
                        first = seq;
                        oldest = value.stamp();
                    }
                    last = seq;
                    messages++;
                    bytes += value.length();
                    String kind = value.kind() >= 0 && value.kind() < KINDS.length ? KINDS[value.kind()] : "kind " + value.kind();
                    byType.merge(kind, 1L, Long::sum);
                }
                Cursor<Long, Value> negative = m.cursor(Long.MIN_VALUE + 1, -1L, false);
                while (negative.hasNext()) {
                    negative.next();
                    if (negative.getValue().stamp() > lastAcked) { // a range's stamp is its last seq
                        ranges++;
                    }
                }
            }
            return new Stats(messages, bytes, first, last, oldest, meta[2], meta[5], meta[6], ranges, byType,
                    file.toFile().length());
        } finally {
            store.closeImmediately();
        }
    }

    /** The queue map, then the maps of 16,384 seqs each in seq order. */
    private static List<MVMap<Long, Value>> messageMaps(MVStore store, MVMap<Long, Value> queue) {
        TreeMap<Long, String> segments = new TreeMap<>();
        for (String name : store.getMapNames()) {
            String suffix = name.startsWith("outbox.") ? name.substring("outbox.".length()) : "";
            if (!suffix.isEmpty() && suffix.chars().allMatch(Character::isDigit)) {
                segments.put(Long.parseLong(suffix), name);
            }
        }
        List<MVMap<Long, Value>> maps = new ArrayList<>();
        maps.add(queue);
        for (String name : segments.values()) {
            maps.add(store.openMap(name, new MVMap.Builder<Long, Value>().keyType(LongDataType.INSTANCE)
                    .valueType(ValueType.INSTANCE)));
        }
        return maps;
    }

    /** A value: kind, stamp, the JSON's length; the meta record's longs. */
    record Value(byte kind, long stamp, int length, long[] meta) {
    }

    /** Reads values without copying message bodies. The tool never writes. */
    static final class ValueType extends BasicDataType<Value> {
        static final ValueType INSTANCE = new ValueType();

        @Override
        public int getMemory(Value obj) {
            return 48;
        }

        @Override
        public void write(WriteBuffer buff, Value obj) {
            throw new UnsupportedOperationException("gateway-ctl reads the buffer, it never writes it");
        }

        @Override
        public Value read(ByteBuffer buff) {
            byte kind = buff.get();
            long stamp = buff.getLong();
            int len = DataUtils.readVarInt(buff);
            long[] meta = null;
            if (kind == META && len >= 7 * 8) {
                meta = new long[7];
                int start = buff.position();
                for (int i = 0; i < 7; i++) {
                    meta[i] = buff.getLong(start + i * 8); // big-endian, as the storage bundle writes it
                }
            }
            buff.position(buff.position() + len);
            return new Value(kind, stamp, len, meta);
        }

        @Override
        public Value[] createStorage(int size) {
            return new Value[size];
        }
    }
}
