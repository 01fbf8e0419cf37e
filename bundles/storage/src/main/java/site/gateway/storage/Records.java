package site.gateway.storage;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.OutboxEntry;

/**
 * Messages as {@link Stored} values, and the size each counts against {@code maxBytes}: the JSON plus
 * a fixed per-message overhead (header and key). The JSON array is taken over, not copied: producers
 * hand over a freshly serialised array and must not change it afterwards.
 */
final class Records {
    static final int HEADER = 9;
    /** Counted per message on top of the value: the key and map bookkeeping, roughly. */
    static final int KEY_OVERHEAD = 8;

    private Records() {
    }

    static Stored encode(MessageType type, long createdAt, byte[] json) {
        return new Stored(MessageKinds.code(type), createdAt, json);
    }

    static MessageType type(Stored record) {
        return MessageKinds.type(record.kind());
    }

    static long createdAt(Stored record) {
        return record.stamp();
    }

    /** The size this record counts against {@code maxBytes}. */
    static long accounted(Stored record) {
        return record.body().length + HEADER + KEY_OVERHEAD;
    }

    static OutboxEntry entry(long seq, Stored record) {
        return new OutboxEntry(seq, type(record), record.stamp(), record.body());
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
}
