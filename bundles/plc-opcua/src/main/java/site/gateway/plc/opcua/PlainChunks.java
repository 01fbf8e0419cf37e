package site.gateway.plc.opcua;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.channel.messages.MessageType;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * UA Secure Conversation chunks of a channel without security (policy None, OPC 10000-6 §6.7): a message header, the
 * security header (the policy URI and two empty certificates for OpenSecureChannel, the token id otherwise), the
 * sequence header, the body; nothing signed or encrypted. Framed here on reused arrays because Milo's chunk encoder
 * and decoder take pooled and composite buffers for every message, which was a third of the driver's CPU per poll
 * in the profile; a secured channel still goes through them. One per channel, used by one thread at a time.
 */
final class PlainChunks {
    private static final byte[] NONE = SecurityPolicy.None.getUri().getBytes(StandardCharsets.US_ASCII);
    /** Message header (type, chunk type, size, channel id) and sequence header (sequence number, request id). */
    private static final int HEADERS = 12 + 8;

    private byte[] out = new byte[8192];
    private int outLength;
    private byte[] body = new byte[8192];
    private int bodyLength;
    private long bodyRequestId;
    /** Ours: 1, 2, ... wrapping where Part 6 says (below 2^32 - 1024). */
    private long sequence;

    /** Frames {@code message[offset, offset + length)} as chunks of at most {@code maxChunk} bytes, into {@link #out()}. */
    void frame(MessageType type, long channelId, long tokenId, long requestId, byte[] message, int offset, int length, int maxChunk) {
        int security = type == MessageType.OpenSecureChannel ? 4 + NONE.length + 4 + 4 : 4;
        int maxBody = maxChunk - HEADERS - security;
        int chunks = Math.max(1, (length + maxBody - 1) / maxBody);
        int needed = length + chunks * (HEADERS + security);
        if (out.length < needed) {
            out = new byte[needed];
        }
        int at = 0;
        int done = 0;
        do {
            int part = Math.min(maxBody, length - done);
            int size = HEADERS + security + part;
            at = ascii(out, at, code(type));
            out[at++] = (byte) (done + part < length ? 'C' : 'F');
            at = uint32(out, at, size);
            at = uint32(out, at, channelId);
            if (type == MessageType.OpenSecureChannel) {
                at = uint32(out, at, NONE.length);
                System.arraycopy(NONE, 0, out, at, NONE.length);
                at += NONE.length;
                at = uint32(out, at, -1); // no sender certificate
                at = uint32(out, at, -1); // no receiver thumbprint
            } else {
                at = uint32(out, at, tokenId);
            }
            sequence = sequence >= 4_294_966_271L ? 1 : sequence + 1;
            at = uint32(out, at, sequence);
            at = uint32(out, at, requestId);
            System.arraycopy(message, offset + done, out, at, part);
            at += part;
            done += part;
        } while (done < length);
        outLength = at;
    }

    byte[] out() {
        return out;
    }

    int outLength() {
        return outLength;
    }

    /**
     * Takes one received chunk ({@code chunk[0, size)}, of {@code type}) into the message being put together; true when
     * it was the last. An abort chunk is the server giving up on the message: its error is thrown.
     */
    boolean add(byte[] chunk, int size, MessageType type, int maxMessage) throws UaException {
        int at = 12; // message header and channel id (checked by the channel)
        if (type == MessageType.OpenSecureChannel) {
            for (int field = 0; field < 3; field++) { // policy URI, sender certificate, receiver thumbprint
                int length = (int) uint32(chunk, at);
                at += 4 + Math.max(0, length);
            }
        } else {
            at += 4; // token id
        }
        at += 4; // sequence number: nothing is checked without security
        long requestId = uint32(chunk, at);
        at += 4;
        if (at > size) {
            throw new UaException(StatusCodes.Bad_DecodingError, "a chunk of " + size + " bytes is shorter than its headers");
        }
        char kind = (char) chunk[3];
        if (kind == 'A') {
            bodyLength = 0;
            long status = uint32(chunk, at);
            throw new UaException(new StatusCode(status), "the server aborted its answer: " + Codes.describe(new StatusCode(status)));
        }
        if (bodyLength == 0) {
            bodyRequestId = requestId;
        }
        int part = size - at;
        if (bodyLength + part > maxMessage) {
            bodyLength = 0;
            throw new UaException(StatusCodes.Bad_TcpMessageTooLarge, "an answer over " + maxMessage + " bytes");
        }
        if (body.length < bodyLength + part) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + part));
        }
        System.arraycopy(chunk, at, body, bodyLength, part);
        bodyLength += part;
        return kind == 'F';
    }

    /** The whole message's body, to decode; valid until the next {@link #add}. */
    ByteBuf message() {
        ByteBuf whole = Unpooled.wrappedBuffer(body, 0, bodyLength);
        bodyLength = 0;
        return whole;
    }

    long requestId() {
        return bodyRequestId;
    }

    private static String code(MessageType type) {
        return switch (type) {
            case OpenSecureChannel -> "OPN";
            case CloseSecureChannel -> "CLO";
            default -> "MSG";
        };
    }

    private static int ascii(byte[] into, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            into[at++] = (byte) text.charAt(i);
        }
        return at;
    }

    private static int uint32(byte[] into, int at, long value) {
        into[at] = (byte) value;
        into[at + 1] = (byte) (value >>> 8);
        into[at + 2] = (byte) (value >>> 16);
        into[at + 3] = (byte) (value >>> 24);
        return at + 4;
    }

    static long uint32(byte[] from, int at) {
        return (from[at] & 0xFFL) | (from[at + 1] & 0xFFL) << 8 | (from[at + 2] & 0xFFL) << 16 | (from[at + 3] & 0xFFL) << 24;
    }
}
