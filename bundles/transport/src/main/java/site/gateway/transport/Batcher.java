package site.gateway.transport;

import java.io.ByteArrayOutputStream;
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

    /** One frame: the message itself when alone, otherwise a batch in ascending seq. */
    String frame(List<OutboxEntry> entries) {
        if (entries.size() == 1) {
            return new String(entries.get(0).toWire(), StandardCharsets.UTF_8);
        }
        return new String(batchBytes(entries, null), StandardCharsets.UTF_8);
    }

    /** A batch object; {@code extraMembers} (e.g. {@code "dropped":[[1,2]]}) is appended when not null. */
    byte[] batchBytes(List<OutboxEntry> entries, String extraMembers) {
        int size = BATCH_HEAD.length + BATCH_TAIL.length + entries.size() * 16;
        for (OutboxEntry e : entries) {
            size += e.json().length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        out.writeBytes(BATCH_HEAD);
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(entries.get(i).toWire());
        }
        out.write(']');
        if (extraMembers != null) {
            out.write(',');
            out.writeBytes(extraMembers.getBytes(StandardCharsets.UTF_8));
        }
        out.write('}');
        return out.toByteArray();
    }
}
