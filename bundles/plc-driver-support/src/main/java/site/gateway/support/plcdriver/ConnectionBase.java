package site.gateway.support.plcdriver;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcBrowseRequest;
import org.apache.plc4x.java.api.messages.PlcPingResponse;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionRequest;
import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.value.PlcValue;

/**
 * What every gateway driver's connection does the same way, whatever it talks over: connect once (a driver opens a
 * {@link Session}: a socket, a client library's session, ...), report connected while that session is open, close
 * it, and refuse what the gateway does not use (ping, browsing, subscriptions: the plc core polls). The driver adds
 * how tags are parsed, read and written. Not for use by several threads at once: the plc core uses a connection
 * from its PLC's thread only.
 */
public abstract class ConnectionBase<S extends ConnectionBase.Session> implements PlcConnection {
    /** What a connection has open while connected. */
    public interface Session {
        /** False once closed, by {@link #close} or by a failed exchange. */
        boolean isOpen();

        void close();
    }

    /**
     * How errors name a driver's connections.
     *
     * @param protocol what errors call the connection ("Modbus TCP": "Modbus TCP connect to ... failed")
     * @param driver   what the refusals call the driver ("Modbus": "... is not offered by the gateway's Modbus driver")
     */
    public record Names(String protocol, String driver) {
    }

    private final Names names;
    private final String peer;
    private volatile S session;

    /** @param peer the device, for errors */
    protected ConnectionBase(Names names, String peer) {
        this.names = names;
        this.peer = peer;
    }

    /**
     * Opens a session, within the connection string's request timeout; interrupting the caller ends it too.
     *
     * @throws Exception what went wrong; a runtime exception passes as it is, any other fails {@link #connect}
     */
    protected abstract S open() throws Exception;

    @Override
    public void connect() throws PlcConnectionException {
        if (isConnected()) {
            return;
        }
        try {
            session = open();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new PlcConnectionException(names.protocol() + " connect to " + peer + " failed: " + e, e);
        }
    }

    /** True until the connection is closed, by {@link #close} or by a failed exchange. */
    @Override
    public boolean isConnected() {
        S current = session;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        S current = session;
        if (current != null) {
            current.close();
        }
    }

    /** The last session opened (closed ones fail their exchanges). */
    protected S session() {
        S current = session;
        if (current == null) {
            throw new IllegalStateException(names.protocol() + " connection to " + peer + " is not connected");
        }
        return current;
    }

    /** Why subscribing is refused. */
    protected String noSubscriptions() {
        return "the gateway's " + names.driver() + " driver does not subscribe; the gateway polls";
    }

    @Override
    public Optional<PlcValue> parseTagValue(PlcTag tag, Object... values) {
        throw notOffered("parseTagValue is");
    }

    @Override
    public PlcConnectionMetadata getMetadata() {
        return ReadWriteOnly.INSTANCE;
    }

    @Override
    public CompletableFuture<? extends PlcPingResponse> ping() {
        throw notOffered("ping is");
    }

    @Override
    public PlcSubscriptionRequest.Builder subscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException(noSubscriptions());
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException(noSubscriptions());
    }

    @Override
    public PlcBrowseRequest.Builder browseRequestBuilder() {
        throw notOffered("browsing is");
    }

    private PlcUnsupportedOperationException notOffered(String what) {
        return new PlcUnsupportedOperationException(what + " not offered by the gateway's " + names.driver() + " driver");
    }
}
