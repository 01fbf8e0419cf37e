package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;

import org.eclipse.milo.opcua.stack.client.transport.uasc.ClientSecureChannel;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.channel.ChannelParameters;
import org.eclipse.milo.opcua.stack.core.channel.ChannelSecurity;
import org.eclipse.milo.opcua.stack.core.channel.ChunkDecoder;
import org.eclipse.milo.opcua.stack.core.channel.ChunkEncoder;
import org.eclipse.milo.opcua.stack.core.channel.EncodingLimits;
import org.eclipse.milo.opcua.stack.core.channel.messages.AcknowledgeMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.HelloMessage;
import org.eclipse.milo.opcua.stack.core.channel.messages.MessageType;
import org.eclipse.milo.opcua.stack.core.channel.messages.TcpMessageDecoder;
import org.eclipse.milo.opcua.stack.core.channel.messages.TcpMessageEncoder;
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
 * {@link ChunkDecoder} and binary codec, used by {@link MessageCodec}); {@link ChunkSocket} moves the chunks. This
 * class keeps the channel's state: the handshake, its token and when to renew it, and the service calls. So a poll
 * costs the PLC's thread one write and one read and nothing else: Milo's client did the same through its Netty event
 * loop, a thread hand-off each way, and that was half the driver's CPU (issue 15). Not thread-safe:
 * {@link DirectSession} serialises calls.
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
    private static final int PROTOCOL_VERSION = 0;

    private final ChunkSocket socket;
    private final ClientSecureChannel secure;
    private final long timeoutMs;
    /** Made once Hello is acknowledged (it needs the agreed limits); null before. */
    private MessageCodec messages;
    private long renewAt;
    private long expiresAt;

    private UaTcpChannel(BlockingSocket socket, ClientSecureChannel secure, long timeoutMs) {
        this.socket = new ChunkSocket(socket);
        this.secure = secure;
        this.timeoutMs = timeoutMs;
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
        long id = messages.send(request, MessageType.SecureMessage);
        UaResponseMessage response = messages.receive(id, MessageType.SecureMessage, answerMs);
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
            socket.write(hello);
        } finally {
            hello.release();
        }
        long deadline = BlockingSocket.deadline(timeoutMs);
        int size = socket.readChunk(deadline, timeoutMs, limits.getMaxChunkSize());
        ByteBuf answer = Unpooled.copiedBuffer(socket.chunk(), 0, size);
        socket.consume(size);
        try {
            MessageType type = MessageType.fromMediumInt(answer.getMediumLE(0));
            if (type == MessageType.Error) {
                throw ChunkSocket.error(answer);
            }
            if (type != MessageType.Acknowledge) {
                throw new UaException(StatusCodes.Bad_TcpMessageTypeInvalid, "the server answered Hello with " + type);
            }
            AcknowledgeMessage ack = TcpMessageDecoder.decodeAcknowledge(answer);
            // as Milo's client: what we receive is bounded by what the server sends, what we send by what it receives
            ChannelParameters parameters = new ChannelParameters(limits.getMaxMessageSize(),
                    (int) Math.min(ack.getSendBufferSize(), limits.getMaxChunkSize()),
                    (int) Math.min(ack.getReceiveBufferSize(), limits.getMaxChunkSize()), limits.getMaxChunkCount(),
                    (int) Math.min(ack.getMaxMessageSize(), Integer.MAX_VALUE), (int) Math.min(ack.getReceiveBufferSize(), Integer.MAX_VALUE),
                    (int) Math.min(ack.getSendBufferSize(), Integer.MAX_VALUE), (int) Math.min(ack.getMaxChunkCount(), Integer.MAX_VALUE));
            messages = new MessageCodec(socket, secure, parameters, limits);
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
        long id = messages.send(request, MessageType.OpenSecureChannel);
        OpenSecureChannelResponse response = (OpenSecureChannelResponse) messages.receive(id, MessageType.OpenSecureChannel, timeoutMs);
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

    /**
     * Whether the server has closed this channel while it was idle (stopped, or gave up on it with an Error message),
     * looked at without waiting; what arrived unasked stays for the next call to read.
     */
    boolean closedByServer() {
        return socket.closedByServer();
    }

    /** Closes the socket only (from another thread: ends a call that waits for an answer). */
    void closeSocket() {
        socket.close();
    }

    /** Says goodbye (CloseSecureChannel, no answer expected) and closes the socket. */
    @Override
    public void close() {
        try {
            if (socket.isOpen() && messages != null && secure.getChannelSecurity() != null) {
                messages.send(new CloseSecureChannelRequest(header()), MessageType.CloseSecureChannel);
            }
        } catch (IOException | UaException | RuntimeException e) {
            // closing anyway
        } finally {
            socket.close();
        }
    }
}
