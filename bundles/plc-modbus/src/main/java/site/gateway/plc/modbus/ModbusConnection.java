package site.gateway.plc.modbus;

import java.io.IOException;
import java.util.Map;

import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagSyntax;

/**
 * One Modbus TCP connection as PLC4X's API shows it: connect, parse tags, read and write. Reads and writes run on
 * the thread that waits for them; subscriptions, browsing and ping are not offered (Modbus has none; the plc core
 * polls). Not for use by several threads at once: the plc core uses a connection from its PLC's thread only.
 */
final class ModbusConnection extends TagConnection<ModbusAddress, TagExchanges> {
    private final ConnectionSettings settings;

    ModbusConnection(ConnectionSettings settings) {
        super(new Names("Modbus TCP", "Modbus"), settings.peer(),
                new TagSyntax<>(ModbusAddress.class, ModbusAddress::parse, settings.requestTimeoutMs()));
        this.settings = settings;
    }

    ConnectionSettings settings() {
        return settings;
    }

    /** Opens the socket, within the connection string's {@code request-timeout}; interrupting the caller ends it too. */
    @Override
    protected TagExchanges open() throws IOException {
        return new TagExchanges(ModbusClient.connect(settings.host(), settings.port(), settings.requestTimeoutMs()), settings);
    }

    TagExchanges exchanges() {
        return session();
    }

    @Override
    protected String noSubscriptions() {
        return "Modbus has no subscriptions; the gateway polls";
    }

    @Override
    protected TagReadRequest.Reader reader(Map<String, ModbusAddress> tags) {
        return new ModbusReader(this, tags);
    }

    /** The bytes of a write, in the connection's byte order. */
    @Override
    public byte[] payload(ModbusAddress address, Object[] values) {
        return TagExchanges.payload(address, values, settings.byteOrder());
    }
}
