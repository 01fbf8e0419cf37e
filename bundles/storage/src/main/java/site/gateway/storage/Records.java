package site.gateway.storage;

import java.util.Arrays;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

/**
 * Binary layout of one stored message: {@code [type ordinal: 1 byte][createdAt: 8 bytes][json]}. The
 * json is kept exactly as the producer wrote it (without seq).
 */
final class Records {
    static final int HEADER = 9;
    /** Counted per message on top of the value: the key and map bookkeeping, roughly. */
    static final int KEY_OVERHEAD = 8;
    private static final MessageType[] TYPES = MessageType.values();

    private Records() {
    }

    static byte[] encode(MessageType type, long createdAt, byte[] json) {
        byte[] out = new byte[HEADER + json.length];
        out[0] = (byte) type.ordinal();
        putLong(out, 1, createdAt);
        System.arraycopy(json, 0, out, HEADER, json.length);
        return out;
    }

    static MessageType type(byte[] record) {
        return TYPES[record[0]];
    }

    static long createdAt(byte[] record) {
        return getLong(record, 1);
    }

    /** The size this record counts against {@code maxBytes}. */
    static long accounted(byte[] record) {
        return record.length + KEY_OVERHEAD;
    }

    static OutboxEntry entry(long seq, byte[] record) {
        return new OutboxEntry(seq, type(record), createdAt(record), Arrays.copyOfRange(record, HEADER, record.length));
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static byte[] longValue(long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        return b;
    }
}
