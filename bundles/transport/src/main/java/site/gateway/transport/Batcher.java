package site.gateway.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import site.gateway.api.outbox.OutboxEntry;

/**
 * Decides when durable messages go out and builds their frames (§3.2): a message alone when the link is
 * idle, a {@code batch} of up to {@code batchMaxItems} under load, waiting at most {@code batchMaxDelayMs}
 * for a batch to fill.
 */
final class Batcher {
    private static final byte[] BATCH_HEAD = "{\"type\":\"batch\",\"items\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ_HEAD = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);

    /** Send now; wait this many ms (then decide again); or nothing to send. */
    record Decision(boolean sendNow, long waitMs) {
        static final Decision SEND = new Decision(true, 0);
        static final Decision NOTHING = new Decision(false, -1);

        static Decision waitFor(long ms) {
            return new Decision(false, ms);
        }
    }

    /**
     * @param available  messages waiting to be sent (an upper bound is fine)
     * @param sinceLastSendMs time since the last durable frame was handed to the socket
     */
    Decision decide(long available, long sinceLastSendMs, Settings s) {
        if (available <= 0) {
            return Decision.NOTHING;
        }
        if (available >= s.batchMaxItems() || sinceLastSendMs >= s.batchMaxDelayMs()) {
            return Decision.SEND; // a full batch, or the link was idle long enough: no reason to wait
        }
        return Decision.waitFor(s.batchMaxDelayMs() - sinceLastSendMs);
    }

    /**
     * One frame's UTF-8 bytes: the message itself when alone, otherwise a batch in ascending seq, written into
     * an array leased from {@code buffers} (give it back with {@link FrameBuffers#written} once sent).
     */
    ByteBuffer frame(List<OutboxEntry> entries, FrameBuffers buffers) {
        if (entries.size() == 1) {
            return ByteBuffer.wrap(entries.get(0).toWire());
        }
        byte[] out = buffers.lease(batchLength(entries, null));
        return ByteBuffer.wrap(out, 0, writeBatch(entries, null, out));
    }

    /**
     * A batch object; {@code extraMembers} (e.g. {@code "dropped":[[1,2]]}) is appended when not null. Written
     * straight into one array of the exact size: each item is what {@link OutboxEntry#toWire()} gives, without
     * that method's three arrays per message (a drain builds a frame of 1,000 of them every few milliseconds).
     */
    byte[] batchBytes(List<OutboxEntry> entries, String extraMembers) {
        byte[] extra = extraMembers == null ? null : extraMembers.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[batchLength(entries, extra)];
        writeBatch(entries, extra, out);
        return out;
    }

    private static int batchLength(List<OutboxEntry> entries, byte[] extra) {
        int size = BATCH_HEAD.length + BATCH_TAIL.length + Math.max(0, entries.size() - 1) + (extra == null ? 0 : extra.length + 1);
        for (OutboxEntry e : entries) {
            size += wireLength(e);
        }
        return size;
    }

    private static int writeBatch(List<OutboxEntry> entries, byte[] extra, byte[] out) {
        int pos = put(out, 0, BATCH_HEAD);
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out[pos++] = ',';
            }
            pos = putWire(out, pos, entries.get(i));
        }
        out[pos++] = ']';
        if (extra != null) {
            out[pos++] = ',';
            pos = put(out, pos, extra);
        }
        out[pos++] = '}';
        return pos;
    }

    /** The length of {@code e.toWire()}: {@code {"seq":N} and, for a non-empty object, a comma, then the members. */
    private static int wireLength(OutboxEntry e) {
        return SEQ_HEAD.length + digits(e.seq()) + (e.json().length > 2 ? 1 : 0) + e.json().length - 1;
    }

    /** Writes what {@code e.toWire()} returns at {@code pos}; returns the position after it. */
    private static int putWire(byte[] out, int pos, OutboxEntry e) {
        pos = put(out, pos, SEQ_HEAD);
        int end = pos + digits(e.seq());
        long v = e.seq();
        for (int i = end - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
        byte[] json = e.json();
        if (json.length > 2) {
            out[pos++] = ',';
        }
        System.arraycopy(json, 1, out, pos, json.length - 1);
        return pos + json.length - 1;
    }

    /** Decimal digits of a seq (seqs are positive). */
    private static int digits(long seq) {
        int n = 1;
        for (long v = seq; v >= 10; v /= 10) {
            n++;
        }
        return n;
    }

    private static int put(byte[] out, int pos, byte[] bytes) {
        System.arraycopy(bytes, 0, out, pos, bytes.length);
        return pos + bytes.length;
    }
}
