package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.milo.opcua.stack.client.transport.uasc.ClientSecureChannel;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.channel.ChannelParameters;
import org.eclipse.milo.opcua.stack.core.channel.ChannelSecurity;
import org.eclipse.milo.opcua.stack.core.channel.ChunkDecoder;
import org.eclipse.milo.opcua.stack.core.channel.ChunkEncoder;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.channel.MessageAbortException;
import org.eclipse.milo.opcua.stack.core.channel.MessageDecodeException;
import org.eclipse.milo.opcua.stack.core.channel.MessageEncodeException;
import org.eclipse.milo.opcua.stack.core.channel.messages.AcknowledgeMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.ErrorMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.HelloMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.MessageType;
import org.eclipse.milo.opcua.stack.core.channel.messages.TcpMessageDecoder;
import org.eclipse.milo.opcua.stack.core.channel.messages.TcpMessageEncoder;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamDecoder;
import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamEncoder;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.serialization.UaRequestMessage;
import org.eclipse.milo.opcua.stack.core.serialization.UaResponseMessage;
import org.eclipse.milo.opcua.stack.core.types.DataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.OpcUaDataTypeManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.SecurityTokenRequestType;
import org.eclipse.milo.opcua.stack.core.types.structured.CloseSecureChannelRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.OpenSecureChannelRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.OpenSecureChannelResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RequestHeader;
import org.eclipse.milo.opcua.stack.core.types.structured.ServiceFault;
import org.eclipse.milo.opcua.stack.core.util.NonceUtil;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import site.gateway.support.plcdriver.BlockingSocket;

/**
 * One OPC UA secure channel (UA TCP and UA Secure Conversation, OPC 10000-6) on a socket the calling thread writes
 * and reads: Hello/Acknowledge, OpenSecureChannel, then one request and its answer at a time. Milo's stack does the
 * binary encoding, the chunking, and the signing and encryption of Basic256Sha256 (its {@link ChunkEncoder},
 * {@link ChunkDecoder} and binary codec); this class only moves the chunks. So a poll costs the PLC's thread one
 * write and one read and nothing else: Milo's client did the same through its Netty event loop, a thread hand-off
 * each way, and that was half the driver's CPU (issue 15). Not thread-safe: {@link DirectSession} serialises calls.
 */
final class UaTcpChannel implements AutoCloseable {
    /** Milo's built-in types only: the tags name namespaces by index, so no namespace table is read. */
    static final SerializationContext CONTEXT = new SerializationContext() {
        private final NamespaceTable namespaces = new NamespaceTable();

        @Override
        public EncodingLimits getEncodingLimits() {
            return EncodingLimits.DEFAULT;
        }

        @Override
        public NamespaceTable getNamespaceTable() {
            return namespaces;
        }

        @Override
        public DataTypeManager getDataTypeManager() {
            return OpcUaDataTypeManager.getInstance();
        }
    };
    /** The secure channel token's lifetime asked for (Milo's client asks the same); renewed at 75 %, as Part 4 says. */
    static final long REQUESTED_LIFETIME_MS = 3_600_000;
    private static final int HEADER = 8;
    private static final int PROTOCOL_VERSION = 0;

    private final BlockingSocket socket;
    private final ClientSecureChannel secure;
    private final long timeoutMs;
    private final OpcUaBinaryStreamEncoder encoder = new OpcUaBinaryStreamEncoder(CONTEXT);
    private final OpcUaBinaryStreamDecoder decoder = new OpcUaBinaryStreamDecoder(CONTEXT);
    private final ByteBuf message = Unpooled.buffer(1024);
    private ChannelParameters parameters;
    private ChunkEncoder chunks;
    private ChunkDecoder unchunks;
    /** Without security: chunks framed on reused arrays; null for a secured channel (Milo's chunk encoder). */
    private final PlainChunks plain;
    private byte[] in = new byte[8192];
    private byte[] out = new byte[8192];
    /** How many bytes of {@code in} are read and not yet taken. */
    private int filled;
    private long requestId;
    private long renewAt;
    private long expiresAt;

    private UaTcpChannel(BlockingSocket socket, ClientSecureChannel secure, long timeoutMs) {
        this.socket = socket;
        this.secure = secure;
        this.timeoutMs = timeoutMs;
        this.plain = secure.getSecurityPolicy() == SecurityPolicy.None ? new PlainChunks() : null;
    }

    /**
     * Connects, says Hello and opens the secure channel, within {@code timeoutMs}.
     *
     * @param secure the policy and mode, and for a secured one the keys and the server's (already trusted) certificate
     */
    static UaTcpChannel open(ConnectionSettings settings, ClientSecureChannel secure) throws IOException, UaException {
        long timeoutMs = settings.requestTimeoutMs();
        BlockingSocket socket = BlockingSocket.connect(settings.host(), settings.port(), (int) timeoutMs, "OPC UA " + settings.peer());
        UaTcpChannel channel = new UaTcpChannel(socket, secure, timeoutMs);
        try {
            channel.hello(settings.endpointUrl());
            channel.openSecureChannel(SecurityTokenRequestType.Issue);
            return channel;
        } catch (IOException | UaException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    /** The server no longer knows this channel's token (its lifetime ran out unrenewed): only a new channel helps. */
    boolean expired() {
        return System.nanoTime() - expiresAt >= 0;
    }

    /**
     * Sends a request, waits for its answer and returns it; renews the channel's token first when 75 % of its
     * lifetime has passed. A service fault or a bad service result is an {@link UaException}; the caller closes the
     * channel after any failure (its byte stream may be out of step).
     */
    UaResponseMessage call(UaRequestMessage request) throws IOException, UaException {
        return call(request, timeoutMs);
    }

    /** {@link #call(UaRequestMessage)}, waiting {@code answerMs} for the answer. */
    UaResponseMessage call(UaRequestMessage request, long answerMs) throws IOException, UaException {
        if (System.nanoTime() - renewAt >= 0) {
            openSecureChannel(SecurityTokenRequestType.Renew);
        }
        long id = send(request, MessageType.SecureMessage);
        UaResponseMessage response = receive(id, MessageType.SecureMessage, answerMs);
        StatusCode result = response.getResponseHeader().getServiceResult();
        if (response instanceof ServiceFault || result.isBad()) {
            throw new UaException(result, request.getClass().getSimpleName() + " refused: " + Codes.describe(result));
        }
        return response;
    }

    private void hello(String endpointUrl) throws IOException, UaException {
        EncodingLimits limits = EncodingLimits.DEFAULT;
        ByteBuf hello = TcpMessageEncoder.encode(new HelloMessage(PROTOCOL_VERSION, limits.getMaxChunkSize(), limits.getMaxChunkSize(),
                limits.getMaxMessageSize(), limits.getMaxChunkCount(), endpointUrl));
        try {
            write(hello);
        } finally {
            hello.release();
        }
        long deadline = BlockingSocket.deadline(timeoutMs);
        int size = readChunk(deadline, timeoutMs, limits.getMaxChunkSize());
        ByteBuf answer = Unpooled.copiedBuffer(in, 0, size);
        consume(size);
        try {
            MessageType type = MessageType.fromMediumInt(answer.getMediumLE(0));
            if (type == MessageType.Error) {
                throw error(answer);
            }
            if (type != MessageType.Acknowledge) {
                throw new UaException(StatusCodes.Bad_TcpMessageTypeInvalid, "the server answered Hello with " + type);
            }
            AcknowledgeMessage ack = TcpMessageDecoder.decodeAcknowledge(answer);
            // as Milo's client: what we receive is bounded by what the server sends, what we send by what it receives
            parameters = new ChannelParameters(limits.getMaxMessageSize(),
                    (int) Math.min(ack.getSendBufferSize(), limits.getMaxChunkSize()),
                    (int) Math.min(ack.getReceiveBufferSize(), limits.getMaxChunkSize()), limits.getMaxChunkCount(),
                    (int) Math.min(ack.getMaxMessageSize(), Integer.MAX_VALUE), (int) Math.min(ack.getReceiveBufferSize(), Integer.MAX_VALUE),
                    (int) Math.min(ack.getSendBufferSize(), Integer.MAX_VALUE), (int) Math.min(ack.getMaxChunkCount(), Integer.MAX_VALUE));
            chunks = new ChunkEncoder(parameters);
            unchunks = new ChunkDecoder(parameters, limits);
        } finally {
            answer.release();
        }
    }

    private void openSecureChannel(SecurityTokenRequestType type) throws IOException, UaException {
        ByteString nonce = secure.isSymmetricSigningEnabled() ? NonceUtil.generateNonce(secure.getSecurityPolicy()) : ByteString.NULL_VALUE;
        secure.setLocalNonce(nonce);
        OpenSecureChannelRequest request = new OpenSecureChannelRequest(header(), uint(PROTOCOL_VERSION), type,
                secure.getMessageSecurityMode(), nonce, uint(REQUESTED_LIFETIME_MS));
        long started = System.nanoTime();
        long id = send(request, MessageType.OpenSecureChannel);
        OpenSecureChannelResponse response = (OpenSecureChannelResponse) receive(id, MessageType.OpenSecureChannel, timeoutMs);
        StatusCode result = response.getResponseHeader().getServiceResult();
        if (result.isBad()) {
            throw new UaException(result, "OpenSecureChannel refused: " + Codes.describe(result));
        }
        ChannelSecurity.SecurityKeys keys = null;
        if (secure.isSymmetricSigningEnabled()) {
            secure.setRemoteNonce(response.getServerNonce());
            keys = ChannelSecurity.generateKeyPair(secure, secure.getLocalNonce(), secure.getRemoteNonce());
        }
        ChannelSecurity old = secure.getChannelSecurity();
        secure.setChannelId(response.getSecurityToken().getChannelId().longValue());
        secure.setChannelSecurity(new ChannelSecurity(keys, response.getSecurityToken(), old == null ? null : old.getCurrentKeys(),
                old == null ? null : old.getCurrentToken()));
        long lifetimeNanos = Math.max(1, response.getSecurityToken().getRevisedLifetime().longValue()) * 1_000_000L;
        renewAt = started + lifetimeNanos / 4 * 3;
        expiresAt = started + lifetimeNanos;
    }

    /** A header for a request outside a session (the channel's own, and GetEndpoints). */
    RequestHeader header() {
        return new RequestHeader(null, DateTime.now(), uint(0), uint(0), null, uint(timeoutMs), null);
    }

    private long send(UaRequestMessage request, MessageType type) throws IOException, UaException {
        message.clear();
        encoder.setBuffer(message);
        encoder.writeMessage(null, request);
        int remoteMax = parameters.getRemoteMaxMessageSize();
        if (remoteMax > 0 && message.readableBytes() > remoteMax) {
            throw new UaException(StatusCodes.Bad_RequestTooLarge, "request of " + message.readableBytes()
                    + " bytes exceeds the server's maximum message size " + remoteMax);
        }
        long id = requestId = requestId % 0xFFFF_FFFFL + 1;
        if (plain != null) {
            ChannelSecurity security = secure.getChannelSecurity();
            plain.frame(type, secure.getChannelId(), security == null ? 0 : security.getCurrentToken().getTokenId().longValue(), id,
                    message.array(), message.arrayOffset() + message.readerIndex(), message.readableBytes(), parameters.getLocalSendBufferSize());
            socket.write(plain.out(), 0, plain.outLength());
            return id;
        }
        List<ByteBuf> encoded;
        try {
            encoded = (type == MessageType.OpenSecureChannel ? chunks.encodeAsymmetric(secure, id, message, type)
                    : chunks.encodeSymmetric(secure, id, message, type)).getMessageChunks();
        } catch (MessageEncodeException e) {
            throw cause(e, StatusCodes.Bad_EncodingError);
        }
        try {
            for (ByteBuf chunk : encoded) {
                write(chunk);
            }
        } finally {
            encoded.forEach(ByteBuf::release);
        }
        return id;
    }

    private static UaException cause(Exception e, long status) {
        return e.getCause() instanceof UaException cause ? cause : new UaException(status, e);
    }

    private void write(ByteBuf bytes) throws IOException {
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

    /** Reads the chunks of the answer to {@code id} (of {@code type}) and decodes it; an Error message fails it. */
    private UaResponseMessage receive(long id, MessageType type, long answerMs) throws IOException, UaException {
        long deadline = BlockingSocket.deadline(answerMs);
        while (true) {
            Decoded decoded = plain != null ? receivePlain(type, deadline, answerMs) : receiveSecured(type, deadline, answerMs);
            if (decoded.requestId == id) {
                return decoded.response;
            }
            // an answer to an earlier request we gave up on cannot arrive: such a channel is closed; skip anything else
        }
    }

    private Decoded receivePlain(MessageType type, long deadline, long answerMs) throws IOException, UaException {
        boolean whole;
        do {
            int size = readChunk(deadline, answerMs, parameters.getLocalReceiveBufferSize());
            try {
                check(type);
                whole = plain.add(in, size, type, parameters.getLocalMaxMessageSize());
            } finally {
                consume(size);
            }
        } while (!whole);
        return decoded(plain.message(), plain.requestId());
    }

    private Decoded receiveSecured(MessageType type, long deadline, long answerMs) throws IOException, UaException {
        List<ByteBuf> parts = new ArrayList<>(1);
        try {
            char last;
            do {
                int size = readChunk(deadline, answerMs, parameters.getLocalReceiveBufferSize());
                try {
                    check(type);
                    parts.add(Unpooled.copiedBuffer(in, 0, size));
                    last = (char) in[3];
                } finally {
                    consume(size);
                }
                if (parameters.getLocalMaxChunkCount() > 0 && parts.size() > parameters.getLocalMaxChunkCount()) {
                    throw new UaException(StatusCodes.Bad_TcpMessageTooLarge, "more than " + parameters.getLocalMaxChunkCount() + " chunks");
                }
            } while (last == 'C');
        } catch (IOException | UaException | RuntimeException e) {
            parts.forEach(ByteBuf::release);
            throw e;
        }
        return decode(parts, type);
    }

    /** The chunk in {@code in} is of the expected type; an Error message is the server's reason for closing. */
    private void check(MessageType type) throws UaException {
        MessageType got = MessageType.fromMediumInt((in[0] & 0xFF) | (in[1] & 0xFF) << 8 | (in[2] & 0xFF) << 16);
        if (got == MessageType.Error) {
            throw error(Unpooled.copiedBuffer(in, 0, filled));
        }
        if (got != type) {
            throw new UaException(StatusCodes.Bad_TcpMessageTypeInvalid, "expected " + type + ", the server sent " + got);
        }
    }

    private record Decoded(UaResponseMessage response, long requestId) {
    }

    private Decoded decode(List<ByteBuf> parts, MessageType type) throws UaException {
        ChunkDecoder.DecodedMessage decoded;
        try {
            decoded = type == MessageType.OpenSecureChannel ? unchunks.decodeAsymmetric(secure, parts) : unchunks.decodeSymmetric(secure, parts);
        } catch (MessageAbortException e) {
            throw new UaException(e.getStatusCode(), "the server aborted its answer: " + e.getMessage());
        } catch (MessageDecodeException e) {
            throw cause(e, StatusCodes.Bad_DecodingError);
        }
        return decoded(decoded.getMessage(), decoded.getRequestId());
    }

    private Decoded decoded(ByteBuf body, long requestId) throws UaException {
        try {
            return new Decoded((UaResponseMessage) decoder.setBuffer(body).readMessage(null), requestId);
        } catch (RuntimeException e) {
            throw new UaException(StatusCodes.Bad_DecodingError, "the answer could not be decoded: " + e);
        } finally {
            body.release();
        }
    }

    /**
     * Reads one message or chunk, header included, bounded by {@code max} bytes, to {@code in[0, size)}; returns its
     * size. A server sends the chunks of a long answer back to back, so a read may take in the start of the next one:
     * {@link #consume} keeps it for the next call.
     */
    private int readChunk(long deadline, long answerMs, int max) throws IOException, UaException {
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

    /** Drops the chunk at the start of {@code in}, keeping what was read after it. */
    private void consume(int size) {
        filled -= size;
        System.arraycopy(in, size, in, 0, filled);
    }

    private static UaException error(ByteBuf answer) throws UaException {
        try {
            ErrorMessage error = TcpMessageDecoder.decodeError(answer);
            return new UaException(error.getError(), "the server closed the channel: " + Codes.describe(error.getError())
                    + (error.getReason() == null ? "" : " (" + error.getReason() + ")"));
        } finally {
            answer.release();
        }
    }

    /**
     * Whether the server has closed this channel while it was idle (stopped, or gave up on it with an Error message),
     * looked at without waiting; what arrived unasked stays for the next call to read.
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

    /** Closes the socket only (from another thread: ends a call that waits for an answer). */
    void closeSocket() {
        socket.close();
    }

    /** Says goodbye (CloseSecureChannel, no answer expected) and closes the socket. */
    @Override
    public void close() {
        try {
            if (socket.isOpen() && parameters != null && secure.getChannelSecurity() != null) {
                send(new CloseSecureChannelRequest(header()), MessageType.CloseSecureChannel);
            }
        } catch (IOException | UaException | RuntimeException e) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
