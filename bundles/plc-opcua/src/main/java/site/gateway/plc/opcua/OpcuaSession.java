package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagWriteRequest;

/**
 * An open session of an {@link OpcuaConnection}: the gateway's own channel for reads and writes
 * ({@link DirectSession}) and, from the first subscription on, a Milo client for the subscriptions (Publish requests
 * want a thread that waits for them). Once lost it stays lost: the plc core closes the connection and opens a new one.
 */
final class OpcuaSession implements TagConnection.TagSession<OpcuaTag> {
    /** The connection's logger: a session's end is its connection's news. */
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaConnection.class);
    /** How long close() waits for the session and channel to be closed politely. */
    private static final long CLOSE_WAIT_MS = 2000;

    final DirectSession direct;
    private final OpcuaConnection connection;
    private final ConnectionSettings settings;
    private final Credentials credentials;
    /** Tells the driver the connection is closed (it counts the open ones). */
    private final Runnable closed;
    private volatile OpcUaClient client;
    private volatile InlineOnceOpen executor;
    private volatile boolean open = true;
    private volatile String lostBecause;

    OpcuaSession(OpcuaConnection connection, DirectSession direct, Credentials credentials, Runnable closed) {
        this.connection = connection;
        this.settings = connection.settings();
        this.direct = direct;
        this.credentials = credentials;
        this.closed = closed;
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

    /** Why the session was lost, or null. */
    String lostBecause() {
        return lostBecause;
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
            client = openMilo(direct.endpoint(), executor);
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
        closed.run();
    }

    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<OpcuaTag>> items, long timeoutMs) throws Exception {
        return OpcuaWrites.write(connection, items, timeoutMs);
    }

    /**
     * Milo's client on the endpoint the session found (at the configured host and port: a server's advertised host
     * name may not resolve here), connected within {@code request-timeout}; its session's end is this session's.
     */
    private OpcUaClient openMilo(EndpointDescription found, InlineOnceOpen executor) throws Exception {
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
                    lost("the subscriptions' session ended (server stopped, channel closed or keep-alive failed)");
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
}
