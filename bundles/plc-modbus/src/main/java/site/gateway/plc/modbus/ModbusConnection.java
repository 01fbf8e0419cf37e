package site.gateway.plc.modbus;

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
 * One Modbus TCP connection as PLC4X's API shows it: connect, parse tags, read and write. Reads and writes run on
 * the thread that waits for them; subscriptions, browsing and ping are not offered (Modbus has none; the plc core
 * polls). Not for use by several threads at once: the plc core uses a connection from its PLC's thread only.
 */
final class ModbusConnection implements PlcConnection {
    private final ConnectionSettings settings;
    private volatile ModbusClient client;
    private volatile TagExchanges exchanges;

    ModbusConnection(ConnectionSettings settings) {
        this.settings = settings;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** Opens the socket, within the connection string's {@code request-timeout}; interrupting the caller ends it too. */
    @Override
    public void connect() throws PlcConnectionException {
        if (isConnected()) {
            return;
        }
        try {
            ModbusClient opened = ModbusClient.connect(settings.host(), settings.port(), settings.requestTimeoutMs());
            exchanges = new TagExchanges(opened, settings);
            client = opened;
        } catch (IOException e) {
            throw new PlcConnectionException("Modbus TCP connect to " + settings.peer() + " failed: " + e, e);
        }
    }

    /** True until the connection is closed, by {@link #close} or by a failed exchange. */
    @Override
    public boolean isConnected() {
        ModbusClient current = client;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        ModbusClient current = client;
        if (current != null) {
            current.close();
        }
    }

    TagExchanges exchanges() {
        TagExchanges current = exchanges;
        if (current == null) {
            throw new IllegalStateException("Modbus TCP connection to " + settings.peer() + " is not connected");
        }
        return current;
    }

    @Override
    public Optional<PlcTag> parseTagAddress(String address) {
        try {
            return Optional.of(ModbusAddress.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<PlcValue> parseTagValue(PlcTag tag, Object... values) {
        throw new PlcUnsupportedOperationException("parseTagValue is not offered by the gateway's Modbus driver");
    }

    @Override
    public PlcConnectionMetadata getMetadata() {
        return ReadWriteOnly.INSTANCE;
    }

    @Override
    public CompletableFuture<? extends PlcPingResponse> ping() {
        throw new PlcUnsupportedOperationException("ping is not offered by the gateway's Modbus driver");
    }

    @Override
    public PlcReadRequest.Builder readRequestBuilder() {
        return new TagReadRequest.Builder<>(ModbusAddress.class, ModbusAddress::parse, tags -> new ModbusReader(this, tags),
                settings().requestTimeoutMs());
    }

    @Override
    public PlcWriteRequest.Builder writeRequestBuilder() {
        return new TagWriteRequest.Builder<>(ModbusAddress.class, new ModbusWrites(this));
    }

    @Override
    public PlcSubscriptionRequest.Builder subscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException("Modbus has no subscriptions; the gateway polls");
    }

    @Override
    public PlcUnsubscriptionRequest.Builder unsubscriptionRequestBuilder() {
        throw new PlcUnsupportedOperationException("Modbus has no subscriptions; the gateway polls");
    }

    @Override
    public PlcBrowseRequest.Builder browseRequestBuilder() {
        throw new PlcUnsupportedOperationException("browsing is not offered by the gateway's Modbus driver");
    }
}
