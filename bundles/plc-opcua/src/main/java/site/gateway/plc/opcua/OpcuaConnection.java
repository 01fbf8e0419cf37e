package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionRequest;
import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.Abilities;
import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagSyntax;
import site.gateway.support.plcdriver.TagWriteRequest;

/**
 * One OPC UA session as PLC4X's API shows it: connect, parse tags, read, write, subscribe. A read or write is one
 * service call whose answer the calling (PLC's) thread awaits; Milo's shared event loop carries the secure channel.
 * The connection reports itself disconnected as soon as Milo sees the session go (server stopped, channel closed,
 * keep-alive failed) or a service call fails, and never reconnects by itself: the plc core closes it and opens a
 * new one with its backoff.
 */
final class OpcuaConnection extends TagConnection<OpcuaTag, OpcuaConnection.Session> {
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaConnection.class);
    /** How long close() waits for the session and channel to be closed politely. */
    private static final long CLOSE_WAIT_MS = 2000;

    private final ConnectionSettings settings;
    private final OpcuaDriver driver;
    private final TagSyntax<OpcuaTag> syntax;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    OpcuaConnection(ConnectionSettings settings, OpcuaDriver driver) {
        this(settings, driver, new TagSyntax<>(OpcuaTag.class, OpcuaTag::parse, settings.requestTimeoutMs()));
    }

    private OpcuaConnection(ConnectionSettings settings, OpcuaDriver driver, TagSyntax<OpcuaTag> syntax) {
        super(new Names("OPC UA", "OPC UA"), settings.peer(), syntax);
        this.settings = settings;
        this.driver = driver;
        this.syntax = syntax;
    }

    ConnectionSettings settings() {
        return settings;
    }

    TagSyntax<OpcuaTag> syntax() {
        return syntax;
    }

    /**
     * An open session: the gateway's own channel for reads and writes ({@link DirectSession}) and, from the first
     * subscription on, a Milo client for the subscriptions (Publish requests want a thread that waits for them).
     */
    final class Session implements TagConnection.TagSession<OpcuaTag> {
        final DirectSession direct;
        private final Credentials credentials;
        private volatile OpcUaClient client;
        private volatile InlineOnceOpen executor;
        private volatile boolean open = true;
        private volatile String lostBecause;

        Session(DirectSession direct, Credentials credentials) {
            this.direct = direct;
            this.credentials = credentials;
        }

        /**
         * Whether the PLC is there: without subscriptions the own channel says so (a look at the idle socket); with
         * them Milo's client does (its keep-alive calls {@link #lost}), and the own channel, idle between writes, is
         * opened anew by the next write should the server have closed it.
         */
        @Override
        public boolean isOpen() {
            if (!open) {
                return false;
            }
            return client != null || direct.isOpen();
        }

        /** The session is gone or unusable: say so (once) and report disconnected, so the plc core reconnects. */
        void lost(String why) {
            InlineOnceOpen pool = executor;
            if (pool != null) {
                pool.inline(false); // Milo's pool for what follows (closing, its reconnect attempts): Milo may block there
            }
            if (open) {
                open = false;
                lostBecause = why;
                LOG.info("OPC UA {}: connection lost: {}", settings.peer(), why);
            }
        }

        /** Milo's client for subscriptions, opened on the first one on this session's endpoint. */
        synchronized OpcUaClient subscriptionClient() throws Exception {
            if (client == null) {
                executor = new InlineOnceOpen(Stack.sharedExecutor());
                client = openMilo(direct.endpoint(), credentials, executor, this);
            }
            return client;
        }

        @Override
        public void close() {
            open = false;
            direct.close();
            OpcUaClient subscriptions;
            synchronized (this) {
                subscriptions = client;
            }
            if (subscriptions != null) {
                executor.inline(false);
                disconnect(subscriptions);
            }
            driver.closed(OpcuaConnection.this);
        }

        @Override
        public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<OpcuaTag>> items, long timeoutMs) throws Exception {
            return OpcuaWrites.write(OpcuaConnection.this, items, timeoutMs);
        }
    }

    /**
     * Opens the gateway's own session ({@link DirectSession}: endpoints, the server's certificate against the trust
     * store, CreateSession and ActivateSession). Each exchange is bounded by {@code request-timeout}; interrupting the
     * caller ends it too.
     */
    @Override
    protected Session open() throws Exception {
        Credentials credentials = settings.mode() == MessageSecurityMode.None ? Credentials.none() : Credentials.load(settings);
        driver.opening(this);
        try {
            return new Session(DirectSession.open(settings, credentials), credentials);
        } catch (UaException e) {
            driver.closed(this);
            throw new IOException(e.getMessage(), e); // a refused certificate, policy or user fails the connect
        } catch (Exception e) {
            driver.closed(this);
            throw e;
        }
    }

    /**
     * Milo's client on the endpoint the session found (at the configured host and port: a server's advertised host
     * name may not resolve here), connected within {@code request-timeout}; its session's end is this session's.
     */
    private OpcUaClient openMilo(EndpointDescription found, Credentials credentials, InlineOnceOpen executor, Session session)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        OpcUaClient created = null;
        try {
            OpcUaClientConfigBuilder config = OpcUaClientConfig.builder()
                    .setApplicationName(LocalizedText.english("site gateway"))
                    .setApplicationUri(credentials.applicationUri)
                    .setProductUri("urn:site:gateway")
                    .setEndpoint(EndpointUtil.updateUrl(found, settings.host(), settings.port()))
                    .setCertificateValidator(credentials.validator)
                    .setIdentityProvider(settings.username() == null ? new AnonymousProvider()
                            : new UsernameProvider(settings.username(), settings.password()))
                    .setRequestTimeout(uint(settings.requestTimeoutMs()))
                    .setExecutor(executor);
            if (credentials.keyPair != null) {
                config.setKeyPair(credentials.keyPair).setCertificate(credentials.chain[0]).setCertificateChain(credentials.chain);
            }
            created = OpcUaClient.create(config.build());
            created.addSessionActivityListener(new SessionActivityListener() {
                @Override
                public void onSessionInactive(UaSession ended) {
                    session.lost("the subscriptions' session ended (server stopped, channel closed or keep-alive failed)");
                }
            });
            await(created.connect(), deadline);
            executor.inline(true);
            return created;
        } catch (TimeoutException e) {
            abandon(created);
            throw new IOException("no answer within " + settings.requestTimeoutMs() + " ms", e);
        } catch (RuntimeException e) {
            abandon(created);
            throw new IOException(e.toString(), e); // Milo's failures (a refused certificate, ...) fail the connect too
        } catch (Exception e) {
            abandon(created);
            throw e;
        }
    }

    private void abandon(OpcUaClient created) {
        if (created != null) {
            disconnect(created);
        }
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

    /** The current session, or null before the first connect. */
    private Session current() {
        try {
            return session();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The session is gone or unusable: report disconnected, so the plc core reconnects. */
    void lost(String why) {
        Session s = current();
        if (s != null) {
            s.lost(why);
        }
    }

    /** The open session, or an exception saying it is not connected. */
    Session open(String what) throws IOException {
        Session s = current();
        if (s == null || !s.isOpen()) {
            throw new IOException("OPC UA connection to " + settings.peer() + " is not connected"
                    + (s == null || s.lostBecause == null ? "" : ": " + s.lostBecause));
        }
        return s;
    }

    /** Milo's client for subscriptions on the open session. */
    OpcUaClient client() throws Exception {
        return open("subscribe").subscriptionClient();
    }

    /**
     * One call on the gateway's own session. A failed call makes the connection report itself disconnected (the
     * session may be out of step), like the other drivers; a timeout is a {@link SocketTimeoutException}.
     */
    <T> T direct(DirectCall<T> call, String what) throws IOException {
        Session s = open(what);
        try {
            return call.on(s.direct);
        } catch (SocketTimeoutException e) {
            s.lost(what + " got no answer within " + settings.requestTimeoutMs() + " ms");
            throw e;
        } catch (IOException | UaException | RuntimeException e) {
            s.lost(what + " failed: " + e);
            throw new IOException(what + " failed: " + e, e);
        }
    }

    /** A call on the direct session. */
    interface DirectCall<T> {
        T on(DirectSession session) throws IOException, UaException;
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
    protected TagReadRequest.Reader reader(Map<String, OpcuaTag> tags) {
        return new OpcuaReader(this, tags);
    }

    /** Checks the values (the variant is made again when sent); OPC UA has no payload bytes of its own here. */
    @Override
    public byte[] payload(OpcuaTag tag, Object[] values) {
        return OpcuaWrites.payload(tag, values);
    }

    @Override
    public PlcConnectionMetadata getMetadata() {
        return Abilities.READ_WRITE_SUBSCRIBE;
    }

    @Override
    public PlcSubscriptionRequest.Builder subscriptionRequestBuilder() {
        return new Subscriptions.RequestBuilder(this);
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        return new Subscriptions.UnsubscribeBuilder(this);
    }
}
