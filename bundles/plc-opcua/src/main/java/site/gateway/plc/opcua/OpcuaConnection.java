package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcBrowseRequest;
import org.apache.plc4x.java.api.messages.PlcPingResponse;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.value.PlcValue;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.Abilities;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagWriteRequest;

/**
 * One OPC UA session as PLC4X's API shows it: connect, parse tags, read, write, subscribe. A read or write is one
 * service call whose answer the calling (PLC's) thread awaits; Milo's shared event loop and executor carry the
 * secure channel. The connection reports itself disconnected as soon as Milo sees the session go (server stopped,
 * channel closed, keep-alive failed) or a service call fails, and never reconnects by itself: the plc core closes
 * it and opens a new one with its backoff.
 */
final class OpcuaConnection implements PlcConnection {
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaConnection.class);
    /** How long close() waits for the session and channel to be closed politely. */
    private static final long CLOSE_WAIT_MS = 2000;

    private final ConnectionSettings settings;
    private final OpcuaDriver driver;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private volatile OpcUaClient client;
    private volatile boolean open;
    private volatile String lostBecause;
    /** Made once the driver has let this connection open (Milo's shared pool is not made again after the driver stopped). */
    private volatile InlineOnceOpen executor;

    OpcuaConnection(ConnectionSettings settings, OpcuaDriver driver) {
        this.settings = settings;
        this.driver = driver;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /**
     * Asks the server for its endpoints (one GetEndpoints on a channel of its own, whatever {@code discovery} says: it
     * gives the server's certificate and token policies), takes the one with the configured policy and mode (at the
     * configured host and port: a server's advertised host name may not resolve here), checks the server's
     * certificate against the trust store, and opens a session. Bounded by {@code request-timeout}; interrupting the
     * caller ends it too.
     */
    @Override
    public void connect() throws PlcConnectionException {
        if (isConnected()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        OpcUaClient created = null;
        try {
            Credentials credentials = settings.mode() == org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode.None
                    ? Credentials.none() : Credentials.load(settings);
            driver.opening(this);
            InlineOnceOpen executor = new InlineOnceOpen(org.eclipse.milo.opcua.stack.core.Stack.sharedExecutor());
            this.executor = executor;
            List<EndpointDescription> endpoints = await(DiscoveryClient.getEndpoints(settings.endpointUrl()), deadline);
            EndpointDescription endpoint = EndpointUtil.updateUrl(choose(endpoints), settings.bareHost(), settings.port());
            OpcUaClientConfigBuilder config = OpcUaClientConfig.builder()
                    .setApplicationName(LocalizedText.english("site gateway"))
                    .setApplicationUri(credentials.applicationUri)
                    .setProductUri("urn:site:gateway")
                    .setEndpoint(endpoint)
                    .setCertificateValidator(credentials.validator)
                    .setIdentityProvider(settings.username() == null ? new AnonymousProvider()
                            : new UsernameProvider(settings.username(), settings.password()))
                    .setRequestTimeout(uint(settings.requestTimeoutMs()));
            config.setExecutor(executor);
            if (credentials.keyPair != null) {
                config.setKeyPair(credentials.keyPair).setCertificate(credentials.chain[0]).setCertificateChain(credentials.chain);
            }
            created = OpcUaClient.create(config.build());
            client = created;
            created.addSessionActivityListener(new SessionActivityListener() {
                @Override
                public void onSessionInactive(UaSession session) {
                    lost("the session ended (server stopped, channel closed or keep-alive failed)");
                }
            });
            await(created.connect(), deadline);
            lostBecause = null;
            open = true;
            executor.inline(true);
        } catch (InterruptedException e) {
            abandon(created);
            Thread.currentThread().interrupt();
            throw new PlcConnectionException("OPC UA connect to " + settings.peer() + " interrupted", e);
        } catch (TimeoutException e) {
            abandon(created);
            throw new PlcConnectionException("OPC UA connect to " + settings.peer() + ": no answer within "
                    + settings.requestTimeoutMs() + " ms", e);
        } catch (Exception e) {
            abandon(created);
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new PlcConnectionException("OPC UA connect to " + settings.peer() + " failed: " + cause, cause);
        }
    }

    /** The endpoint with the configured policy and mode over opc.tcp, or the reason there is none. */
    private EndpointDescription choose(List<EndpointDescription> endpoints) throws UaException {
        for (EndpointDescription e : endpoints) {
            if (settings.policy().getUri().equals(e.getSecurityPolicyUri()) && settings.mode() == e.getSecurityMode()
                    && (e.getTransportProfileUri() == null || TransportProfile.TCP_UASC_UABINARY.getUri().equals(e.getTransportProfileUri()))) {
                return e;
            }
        }
        String offered = endpoints.stream().map(e -> e.getSecurityPolicyUri().replaceAll(".*#", "") + "/" + e.getSecurityMode())
                .distinct().collect(Collectors.joining(", "));
        throw new UaException(org.eclipse.milo.opcua.stack.core.StatusCodes.Bad_SecurityPolicyRejected,
                "the server offers no endpoint with " + settings.policy().name() + "/" + settings.mode() + " (it offers " + offered + ")");
    }

    private void abandon(OpcUaClient created) {
        client = null;
        open = false;
        if (created != null) {
            disconnect(created);
        }
        driver.closed(this);
    }

    /** True until the connection is closed, the session ends or a service call fails. */
    @Override
    public boolean isConnected() {
        return open && client != null;
    }

    /** The session is gone or unusable: say so (once) and report disconnected, so the plc core reconnects. */
    void lost(String why) {
        pooled();
        if (open) {
            open = false;
            lostBecause = why;
            LOG.info("OPC UA {}: connection lost: {}", settings.peer(), why);
        }
    }

    /** Milo's pool for what follows (closing, reconnect attempts until closed): Milo may block there. */
    private void pooled() {
        InlineOnceOpen current = executor;
        if (current != null) {
            current.inline(false);
        }
    }

    String lostBecause() {
        return lostBecause;
    }

    @Override
    public void close() {
        open = false;
        pooled();
        OpcUaClient current = client;
        client = null;
        if (current != null) {
            disconnect(current);
        }
        driver.closed(this);
    }

    private void disconnect(OpcUaClient current) {
        try {
            current.disconnect().get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("OPC UA {}: disconnect: {}", settings.peer(), e.toString());
        }
    }

    /** The client of an open session, or an exception saying it is not connected. */
    OpcUaClient client() throws IOException {
        OpcUaClient current = client;
        if (!open || current == null) {
            throw new IOException("OPC UA connection to " + settings.peer() + " is not connected"
                    + (lostBecause == null ? "" : ": " + lostBecause));
        }
        return current;
    }

    /**
     * Waits for a service call's answer on the calling thread. No answer in time, or a failed call, makes the
     * connection report itself disconnected (the session may be out of step), like the other drivers.
     */
    <T> T call(CompletableFuture<T> call, long timeoutMs, String what) throws IOException, InterruptedException {
        try {
            return call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(false);
            lost(what + " got no answer within " + timeoutMs + " ms");
            throw new SocketTimeoutException(what + " got no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            lost(what + " failed: " + cause);
            throw new IOException(what + " failed: " + cause, cause);
        }
    }

    /** Logs a tag's problem once per connection (per tag and reason). */
    void reportOnce(OpcuaTag tag, String reason) {
        if (reported.add(tag.text() + "#" + reason)) {
            LOG.warn("OPC UA {}: '{}': {}; the tag reads bad", settings.peer(), tag.text(), reason);
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadline) throws Exception {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException();
        }
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @Override
    public Optional<PlcTag> parseTagAddress(String address) {
        try {
            return Optional.of(OpcuaTag.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<PlcValue> parseTagValue(PlcTag tag, Object... values) {
        throw new PlcUnsupportedOperationException("parseTagValue is not offered by the gateway's OPC UA driver");
    }

    @Override
    public PlcConnectionMetadata getMetadata() {
        return Abilities.READ_WRITE_SUBSCRIBE;
    }

    @Override
    public CompletableFuture<? extends PlcPingResponse> ping() {
        throw new PlcUnsupportedOperationException("ping is not offered by the gateway's OPC UA driver");
    }

    @Override
    public PlcReadRequest.Builder readRequestBuilder() {
        return new TagReadRequest.Builder<>(OpcuaTag.class, OpcuaTag::parse, tags -> new OpcuaReader(this, tags),
                settings.requestTimeoutMs());
    }

    @Override
    public PlcWriteRequest.Builder writeRequestBuilder() {
        return new TagWriteRequest.Builder<>(OpcuaTag.class, new OpcuaWrites(this));
    }

    @Override
    public PlcSubscriptionRequest.Builder subscriptionRequestBuilder() {
        return new Subscriptions.RequestBuilder(this);
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        return new Subscriptions.UnsubscribeBuilder(this);
    }

    @Override
    public PlcBrowseRequest.Builder browseRequestBuilder() {
        throw new PlcUnsupportedOperationException("browsing is not offered by the gateway's OPC UA driver");
    }
}
