package site.gateway.plc.s7;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

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

import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagWriteRequest;
import site.gateway.support.plcdriver.ReadWriteOnly;

/**
 * One S7 connection as PLC4X's API shows it: connect, parse tags, read and write. Reads and writes run on the
 * thread that waits for them; subscriptions, browsing and ping are not offered (PLC4X's S7 driver could not
 * subscribe to DB values either: the plc core polls). Not for use by several threads at once: the plc core uses a
 * connection from its PLC's thread only.
 */
final class S7Connection implements PlcConnection {
    private final ConnectionSettings settings;
    private volatile IsoTcpClient client;
    private volatile TagExchanges exchanges;

    S7Connection(ConnectionSettings settings) {
        this.settings = settings;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /**
     * Opens the socket, the ISO transport connection and the S7 communication, within the connection string's
     * {@code request-timeout}; interrupting the caller ends it too.
     */
    @Override
    public void connect() throws PlcConnectionException {
        if (isConnected()) {
            return;
        }
        try {
            IsoTcpClient opened = IsoTcpClient.connect(settings);
            exchanges = new TagExchanges(opened, settings);
            client = opened;
        } catch (IOException e) {
            throw new PlcConnectionException("S7 connect to " + settings.peer() + " failed: " + e, e);
        }
    }

    /** True until the connection is closed, by {@link #close} or by a failed exchange. */
    @Override
    public boolean isConnected() {
        IsoTcpClient current = client;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        IsoTcpClient current = client;
        if (current != null) {
            current.close();
        }
    }

    TagExchanges exchanges() {
        TagExchanges current = exchanges;
        if (current == null) {
            throw new IllegalStateException("S7 connection to " + settings.peer() + " is not connected");
        }
        return current;
    }

    @Override
    public Optional<PlcTag> parseTagAddress(String address) {
        try {
            return Optional.of(S7Address.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<PlcValue> parseTagValue(PlcTag tag, Object... values) {
        throw new PlcUnsupportedOperationException("parseTagValue is not offered by the gateway's S7 driver");
    }

    @Override
    public PlcConnectionMetadata getMetadata() {
        return ReadWriteOnly.INSTANCE;
    }

    @Override
    public CompletableFuture<? extends PlcPingResponse> ping() {
        throw new PlcUnsupportedOperationException("ping is not offered by the gateway's S7 driver");
    }

    @Override
    public PlcReadRequest.Builder readRequestBuilder() {
        return new TagReadRequest.Builder<>(S7Address.class, S7Address::parse, tags -> new S7Reader(this, tags),
                settings().requestTimeoutMs());
    }

    @Override
    public PlcWriteRequest.Builder writeRequestBuilder() {
        return new TagWriteRequest.Builder<>(S7Address.class, new S7Writes(this));
    }

    @Override
    public PlcSubscriptionRequest.Builder subscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException("the gateway's S7 driver does not subscribe; the gateway polls");
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException("the gateway's S7 driver does not subscribe; the gateway polls");
    }

    @Override
    public PlcBrowseRequest.Builder browseRequestBuilder() {
        throw new PlcUnsupportedOperationException("browsing is not offered by the gateway's S7 driver");
    }
}
