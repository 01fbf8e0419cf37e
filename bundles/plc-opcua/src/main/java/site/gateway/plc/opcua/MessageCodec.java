package site.gateway.plc.opcua;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.client.transport.uasc.ClientSecureChannel;
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
import org.eclipse.milo.opcua.stack.core.channel.messages.MessageType;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamDecoder;
import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamEncoder;
import org.eclipse.milo.opcua.stack.core.serialization.UaRequestMessage;
import org.eclipse.milo.opcua.stack.core.serialization.UaResponseMessage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import site.gateway.support.plcdriver.BlockingSocket;

/**
 * The UA Secure Conversation messages of one {@link UaTcpChannel}, from the Acknowledge on: a request encoded (Milo's
 * binary codec), numbered and cut into chunks, and an answer put together from its chunks and decoded. Without
 * security the chunks are {@link PlainChunks}; with it Milo's {@link ChunkEncoder} and {@link ChunkDecoder} sign and
 * encrypt them with the channel's keys. Not thread-safe, like the channel.
 */
final class MessageCodec {
    private final ChunkSocket socket;
    private final ClientSecureChannel secure;
    /** The limits agreed in Hello/Acknowledge. */
    private final ChannelParameters parameters;
    private final OpcUaBinaryStreamEncoder encoder = new OpcUaBinaryStreamEncoder(UaTcpChannel.CONTEXT);
    private final OpcUaBinaryStreamDecoder decoder = new OpcUaBinaryStreamDecoder(UaTcpChannel.CONTEXT);
    private final ByteBuf message = Unpooled.buffer(1024);
    private final ChunkEncoder chunks;
    private final ChunkDecoder unchunks;
    /** Without security: chunks framed on reused arrays; null for a secured channel (Milo's chunk encoder). */
    private final PlainChunks plain;
    private long requestId;

    MessageCodec(ChunkSocket socket, ClientSecureChannel secure, ChannelParameters parameters, EncodingLimits limits) {
        this.socket = socket;
        this.secure = secure;
        this.parameters = parameters;
        this.chunks = new ChunkEncoder(parameters);
        this.unchunks = new ChunkDecoder(parameters, limits);
        this.plain = secure.getSecurityPolicy() == SecurityPolicy.None ? new PlainChunks() : null;
    }

    /** Encodes and writes the request as chunks of {@code type}; returns the request id its answer will carry. */
    long send(UaRequestMessage request, MessageType type) throws IOException, UaException {
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
                socket.write(chunk);
            }
        } finally {
            encoded.forEach(ByteBuf::release);
        }
        return id;
    }

    private static UaException cause(Exception e, long status) {
        return e.getCause() instanceof UaException cause ? cause : new UaException(status, e);
    }

    /** Reads the chunks of the answer to {@code id} (of {@code type}) and decodes it; an Error message fails it. */
    UaResponseMessage receive(long id, MessageType type, long answerMs) throws IOException, UaException {
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
            int size = socket.readChunk(deadline, answerMs, parameters.getLocalReceiveBufferSize());
            try {
                socket.check(type);
                whole = plain.add(socket.chunk(), size, type, parameters.getLocalMaxMessageSize());
            } finally {
                socket.consume(size);
            }
        } while (!whole);
        return decoded(plain.message(), plain.requestId());
    }

    private Decoded receiveSecured(MessageType type, long deadline, long answerMs) throws IOException, UaException {
        List<ByteBuf> parts = new ArrayList<>(1);
        try {
            char last;
            do {
                int size = socket.readChunk(deadline, answerMs, parameters.getLocalReceiveBufferSize());
                try {
                    socket.check(type);
                    parts.add(Unpooled.copiedBuffer(socket.chunk(), 0, size));
                    last = (char) socket.chunk()[3];
                } finally {
                    socket.consume(size);
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
}
