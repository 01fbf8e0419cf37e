package site.gateway.plc.opcua;

import java.io.IOException;
import java.net.SocketTimeoutException;
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
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.Abilities;
import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagSyntax;

/**
 * One OPC UA connection as PLC4X's API shows it: connect, parse tags, read, write, subscribe. A read or write is one
 * service call on the gateway's own channel whose answer the calling (PLC's) thread awaits; subscriptions go through
 * Milo's client ({@link OpcuaSession} holds both). The connection reports itself disconnected as soon as the session
 * is seen to go (server stopped, channel closed, keep-alive failed) or a service call fails, and never reconnects by
 * itself: the plc core closes it and opens a new one with its backoff.
 */
final class OpcuaConnection extends TagConnection<OpcuaTag, OpcuaSession> {
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaConnection.class);

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
     * Opens the gateway's own session ({@link DirectSession}: endpoints, the server's certificate against the trust
     * store, CreateSession and ActivateSession). Each exchange is bounded by {@code request-timeout}; interrupting the
     * caller ends it too.
     */
    @Override
    protected OpcuaSession open() throws Exception {
        Credentials credentials = settings.mode() == MessageSecurityMode.None ? Credentials.none() : Credentials.load(settings);
        driver.opening(this);
        try {
            return new OpcuaSession(this, DirectSession.open(settings, credentials), credentials, () -> driver.closed(this));
        } catch (UaException e) {
            driver.closed(this);
            throw new IOException(e.getMessage(), e); // a refused certificate, policy or user fails the connect
        } catch (Exception e) {
            driver.closed(this);
            throw e;
        }
    }

    /** The current session, or null before the first connect. */
    private OpcuaSession current() {
        try {
            return session();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The session is gone or unusable: report disconnected, so the plc core reconnects. */
    void lost(String why) {
        OpcuaSession s = current();
        if (s != null) {
            s.lost(why);
        }
    }

    /** The open session, or an exception saying it is not connected. */
    OpcuaSession open(String what) throws IOException {
        OpcuaSession s = current();
        if (s == null || !s.isOpen()) {
            throw new IOException("OPC UA connection to " + settings.peer() + " is not connected"
                    + (s == null || s.lostBecause() == null ? "" : ": " + s.lostBecause()));
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
        OpcuaSession s = open(what);
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
        return new SubscriptionRequestBuilder(this);
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        return new UnsubscriptionRequest.Builder(this);
    }
}
