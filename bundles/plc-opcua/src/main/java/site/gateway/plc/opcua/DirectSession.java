package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.api.identity.SignedIdentityToken;
import org.eclipse.milo.opcua.stack.client.transport.uasc.ClientSecureChannel;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.serialization.UaRequestMessage;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.ApplicationType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ActivateSessionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ApplicationDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.CloseSessionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSessionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.GetEndpointsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.GetEndpointsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.RequestHeader;
import org.eclipse.milo.opcua.stack.core.types.structured.SignedSoftwareCertificate;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.NonceUtil;

/**
 * An OPC UA session on a {@link UaTcpChannel}, for the Read and Write calls of polls and commands: GetEndpoints,
 * CreateSession and ActivateSession as Milo's client does them (anonymous or user name; for a secured policy the
 * server's certificate checked against the trust store, and {@link SessionProofs}: the server's signature verified
 * and ours given), then one
 * call at a time on the caller's thread. No thread of its own keeps it alive; instead, before a call, a channel
 * token at 75 % of its lifetime is renewed, a session idle for 75 % of its timeout is made anew, and a channel whose
 * token has run out is opened anew. A failed call closes the channel: the plc core reconnects.
 */
final class DirectSession implements AutoCloseable {
    /** Asked for; the server may grant less, which {@link #fresh} takes into account. */
    private static final double REQUESTED_SESSION_TIMEOUT_MS = 3_600_000;
    /** Polls more often than this never look at the idle socket: their next read would notice. */
    private static final long PROBE_AFTER_IDLE_NANOS = 1_000_000_000L;

    private final ConnectionSettings settings;
    private final Credentials credentials;
    private final EndpointDescription endpoint;
    private final X509Certificate serverCertificate;
    private final SessionProofs proofs;
    /** Polls and commands' writes call from different threads; one exchange at a time on the channel. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile UaTcpChannel channel;
    private NodeId authenticationToken;
    private long idleLimitNanos;
    private volatile long lastCall;
    private long requestHandle;
    private volatile boolean open = true;

    private DirectSession(ConnectionSettings settings, Credentials credentials, EndpointDescription endpoint,
            X509Certificate serverCertificate) {
        this.settings = settings;
        this.credentials = credentials;
        this.endpoint = endpoint;
        this.serverCertificate = serverCertificate;
        this.proofs = new SessionProofs(settings, credentials, serverCertificate);
    }

    /**
     * Asks the server for its endpoints (on a channel without security, as every OPC UA client does first), takes the
     * one with the configured policy and mode, checks the server's certificate for a secured one, and opens a
     * session on a channel with that policy.
     */
    static DirectSession open(ConnectionSettings settings, Credentials credentials) throws IOException, UaException {
        EndpointDescription endpoint;
        UaTcpChannel discovery = UaTcpChannel.open(settings, new ClientSecureChannel(SecurityPolicy.None, MessageSecurityMode.None));
        try {
            GetEndpointsResponse found = (GetEndpointsResponse) discovery.call(new GetEndpointsRequest(discovery.header(),
                    settings.endpointUrl(), null, new String[] {TransportProfile.TCP_UASC_UABINARY.getUri()}));
            endpoint = choose(settings, found.getEndpoints() == null ? List.of() : Arrays.asList(found.getEndpoints()));
        } catch (IOException | UaException | RuntimeException e) {
            discovery.close();
            throw e;
        }
        X509Certificate serverCertificate = null;
        if (settings.mode() != MessageSecurityMode.None) {
            discovery.close();
            List<X509Certificate> chain = CertificateUtil.decodeCertificates(endpoint.getServerCertificate().bytesOrEmpty());
            credentials.validator.validateCertificateChain(chain);
            serverCertificate = chain.get(0);
        }
        DirectSession session = new DirectSession(settings, credentials, endpoint, serverCertificate);
        try {
            // without security the discovery channel is the session's: one connection, as a PLC with few sockets likes
            session.channel = serverCertificate == null ? discovery : session.newChannel();
            session.activate();
            return session;
        } catch (IOException | UaException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The endpoint with the configured policy and mode over opc.tcp, or the reason there is none. */
    static EndpointDescription choose(ConnectionSettings settings, List<EndpointDescription> endpoints) throws UaException {
        for (EndpointDescription e : endpoints) {
            if (settings.policy().getUri().equals(e.getSecurityPolicyUri()) && settings.mode() == e.getSecurityMode()
                    && (e.getTransportProfileUri() == null || TransportProfile.TCP_UASC_UABINARY.getUri().equals(e.getTransportProfileUri()))) {
                return e;
            }
        }
        String offered = endpoints.stream().map(e -> e.getSecurityPolicyUri().replaceAll(".*#", "") + "/" + e.getSecurityMode())
                .distinct().collect(Collectors.joining(", "));
        throw new UaException(StatusCodes.Bad_SecurityPolicyRejected, "the server offers no endpoint with "
                + settings.policy().name() + "/" + settings.mode() + " (it offers " + offered + ")");
    }

    /** The endpoint this session uses (for Milo's client, which carries subscriptions). */
    EndpointDescription endpoint() {
        return endpoint;
    }

    /**
     * Whether the session still holds. Between polls the socket is not read; after {@link #PROBE_AFTER_IDLE_NANOS}
     * without a call a look at it without waiting notices a server that has gone away (a subscribing PLC, or a slow
     * poll, would otherwise learn it only from its next call).
     */
    boolean isOpen() {
        UaTcpChannel current = channel;
        if (!open || current == null || !current.isOpen()) {
            return false;
        }
        if (System.nanoTime() - lastCall > PROBE_AFTER_IDLE_NANOS && lock.tryLock()) {
            try {
                return open && !channel.closedByServer();
            } finally {
                lock.unlock();
            }
        }
        return open;
    }

    ReadResponse read(ReadValueId[] nodes, long timeoutMs) throws IOException, UaException {
        lock.lock();
        try {
            return (ReadResponse) call(header -> new ReadRequest(header, 0.0, TimestampsToReturn.Neither, nodes), timeoutMs);
        } finally {
            lock.unlock();
        }
    }

    WriteResponse write(WriteValue[] values, long timeoutMs) throws IOException, UaException {
        lock.lock();
        try {
            return (WriteResponse) call(header -> new WriteRequest(header, values), timeoutMs);
        } finally {
            lock.unlock();
        }
    }

    private UaTcpChannel newChannel() throws IOException, UaException {
        ClientSecureChannel secure = serverCertificate == null
                ? new ClientSecureChannel(SecurityPolicy.None, MessageSecurityMode.None)
                : new ClientSecureChannel(credentials.keyPair, credentials.chain[0], List.of(credentials.chain), serverCertificate,
                        List.of(serverCertificate), settings.policy(), settings.mode());
        return UaTcpChannel.open(settings, secure);
    }

    /** The request is made after {@link #fresh}: a session made anew there has a new authentication token. */
    private Object call(Function<RequestHeader, UaRequestMessage> request, long timeoutMs) throws IOException, UaException {
        if (!open) {
            throw new IOException("the OPC UA session is closed");
        }
        try {
            fresh();
            Object response = channel.call(request.apply(header(timeoutMs)), timeoutMs);
            lastCall = System.nanoTime();
            return response;
        } catch (IOException | UaException | RuntimeException e) {
            open = false;
            channel.close();
            throw e;
        }
    }

    /**
     * What a keep-alive thread would do, done before a call instead: a call after a long pause finds all in order.
     * A channel the server closed while idle (its token ran out; {@link #isOpen} saw it) is opened anew: while a PLC
     * subscribes, this session only writes, and Milo's client (not this channel) says whether the PLC is there.
     */
    private void fresh() throws IOException, UaException {
        if (!channel.isOpen() || channel.expired()) {
            channel.close();
            channel = newChannel();
            activate();
        } else if (System.nanoTime() - lastCall > idleLimitNanos) {
            closeSession();
            activate();
        }
    }

    private void activate() throws IOException, UaException {
        ByteString clientNonce = NonceUtil.generateNonce(32);
        ByteString clientCertificate = proofs.clientCertificate();
        ApplicationDescription client = new ApplicationDescription(credentials.applicationUri, "urn:site:gateway",
                LocalizedText.english("site gateway"), ApplicationType.Client, null, null, null);
        CreateSessionResponse created = (CreateSessionResponse) channel.call(new CreateSessionRequest(channel.header(), client, null,
                settings.endpointUrl(), "site gateway", clientNonce, clientCertificate, REQUESTED_SESSION_TIMEOUT_MS, uint(0)));
        proofs.verifyServer(created, clientCertificate, clientNonce);
        authenticationToken = created.getAuthenticationToken();
        SignedIdentityToken token = proofs.identityToken(endpoint, created.getServerNonce());
        channel.call(new ActivateSessionRequest(header(), proofs.clientSignature(created.getServerNonce()), new SignedSoftwareCertificate[0],
                new String[0], ExtensionObject.encode(UaTcpChannel.CONTEXT, token.getToken()), token.getSignature()));
        long granted = (long) created.getRevisedSessionTimeout().doubleValue();
        idleLimitNanos = Math.max(1, granted) * 1_000_000L / 4 * 3;
        lastCall = System.nanoTime();
    }

    private RequestHeader header() {
        return header(settings.requestTimeoutMs());
    }

    private RequestHeader header(long timeoutMs) {
        requestHandle = requestHandle % 0xFFFF_FFFFL + 1;
        return new RequestHeader(authenticationToken, DateTime.now(), uint(requestHandle), uint(0), null, uint(timeoutMs), null);
    }

    private void closeSession() {
        if (authenticationToken != null && channel.isOpen()) {
            try {
                channel.call(new CloseSessionRequest(header(), true));
            } catch (IOException | UaException | RuntimeException e) {
                // the session is gone anyway (it timed out, or the server is stopping)
            }
        }
        authenticationToken = null;
    }

    /**
     * Closes the session politely (bounded by the request timeout) and the channel; while a call is under way (a
     * read waiting for a server that does not answer) only the socket, which ends that call at once.
     */
    @Override
    public void close() {
        open = false;
        UaTcpChannel current = channel;
        if (lock.tryLock()) {
            try {
                if (channel != null) {
                    closeSession();
                    channel.close();
                }
            } finally {
                lock.unlock();
            }
        } else if (current != null) {
            current.closeSocket();
        }
    }
}
