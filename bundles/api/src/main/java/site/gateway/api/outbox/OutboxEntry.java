package site.gateway.api.outbox;

import java.nio.charset.StandardCharsets;

/**
 * One buffered durable message. {@code json} is the message's JSON object as its producer wrote it,
 * without {@code seq}; {@link #toWire()} adds the seq the outbox assigned.
 */
public record OutboxEntry(long seq, MessageType type, long createdAt, byte[] json) {

    /** The message as sent to the WMS: {@code {"seq":N,} followed by the stored object's members. */
    public byte[] toWire() {
        byte[] prefix = ("{\"seq\":" + seq + (json.length > 2 ? "," : "")).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + json.length - 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 1, out, prefix.length, json.length - 1);
        return out;
    }
}
