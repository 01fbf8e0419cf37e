package site.gateway.plc.opcua;

import java.io.IOException;
import java.util.Arrays;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.channel.messages.ErrorMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.MessageType;
import org.eclipse.milo.opcua.stack.core.channel.messages.TcpMessageDecoder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import site.gateway.support.plcdriver.BlockingSocket;

/**
 * The byte side of a {@link UaTcpChannel}: whole UA TCP messages and chunks (OPC 10000-6 §7.1) written to and read
 * from a socket the calling thread writes and reads, on reused arrays. A server sends the chunks of a long answer
 * back to back, so a read may take in the start of the next one: it stays here for the next read. Not thread-safe.
 */
final class ChunkSocket {
    private static final int HEADER = 8;

    private final BlockingSocket socket;
    private byte[] in = new byte[8192];
    private byte[] out = new byte[8192];
    /** How many bytes of {@code in} are read and not yet taken. */
    private int filled;

    ChunkSocket(BlockingSocket socket) {
        this.socket = socket;
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the socket (from any thread: ends a read that waits). */
    void close() {
        socket.close();
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        socket.write(bytes, offset, length);
    }

    void write(ByteBuf bytes) throws IOException {
        int length = bytes.readableBytes();
        if (bytes.hasArray()) {
            socket.write(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), length);
        } else {
            if (out.length < length) {
                out = new byte[length];
            }
            bytes.getBytes(bytes.readerIndex(), out, 0, length);
            socket.write(out, 0, length);
        }
    }

    /**
     * Reads one message or chunk, header included, bounded by {@code max} bytes, to {@link #chunk()}{@code [0, size)};
     * returns its size. {@link #consume} drops it and keeps what was read after it for the next call.
     */
    int readChunk(long deadline, long answerMs, int max) throws IOException, UaException {
        filled = socket.readAtLeast(in, filled, HEADER, deadline, answerMs);
        long size = PlainChunks.uint32(in, 4);
        if (size < HEADER || size > max) {
            throw new UaException(StatusCodes.Bad_TcpMessageTooLarge, "a chunk of " + size + " bytes (at most " + max + " agreed)");
        }
        if (in.length < size) {
            in = Arrays.copyOf(in, (int) size);
        }
        filled = socket.readAtLeast(in, filled, (int) size, deadline, answerMs);
        return (int) size;
    }

    /** The chunk {@link #readChunk} read, at its start; valid until {@link #consume}. */
    byte[] chunk() {
        return in;
    }

    /** Drops the chunk at the start of {@link #chunk()}, keeping what was read after it. */
    void consume(int size) {
        filled -= size;
        System.arraycopy(in, size, in, 0, filled);
    }

    /** The chunk read is of the expected type; an Error message is the server's reason for closing. */
    void check(MessageType type) throws UaException {
        MessageType got = MessageType.fromMediumInt((in[0] & 0xFF) | (in[1] & 0xFF) << 8 | (in[2] & 0xFF) << 16);
        if (got == MessageType.Error) {
            throw error(Unpooled.copiedBuffer(in, 0, filled));
        }
        if (got != type) {
            throw new UaException(StatusCodes.Bad_TcpMessageTypeInvalid, "expected " + type + ", the server sent " + got);
        }
    }

    /** The server's Error message as an exception; releases {@code answer}. */
    static UaException error(ByteBuf answer) throws UaException {
        try {
            ErrorMessage error = TcpMessageDecoder.decodeError(answer);
            return new UaException(error.getError(), "the server closed the channel: " + Codes.describe(error.getError())
                    + (error.getReason() == null ? "" : " (" + error.getReason() + ")"));
        } finally {
            answer.release();
        }
    }

    /**
     * Whether the server has closed the connection while it was idle (stopped, or gave up on it with an Error
     * message), looked at without waiting; what arrived unasked stays for the next read.
     */
    boolean closedByServer() {
        if (!socket.isOpen()) {
            return true;
        }
        try {
            int have = filled < in.length ? socket.poll(in, filled) : filled;
            if (have < 0 || have >= 3 && in[0] == 'E' && in[1] == 'R' && in[2] == 'R') {
                socket.close();
                return true;
            }
            filled = have;
            return false;
        } catch (IOException e) {
            socket.close();
            return true;
        }
    }
}
