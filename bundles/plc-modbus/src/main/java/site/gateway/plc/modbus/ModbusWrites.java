package site.gateway.plc.modbus;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.types.PlcResponseCode;

import site.gateway.support.plcdriver.TagWriteRequest;

/** The Modbus part of a write: its addresses, its payload in the connection's byte order, its exchanges. */
final class ModbusWrites implements TagWriteRequest.Protocol<ModbusAddress> {
    private final ModbusConnection connection;

    ModbusWrites(ModbusConnection connection) {
        this.connection = connection;
    }

    @Override
    public ModbusAddress parse(String address) {
        return ModbusAddress.parse(address);
    }

    @Override
    public byte[] payload(ModbusAddress address, Object[] values) {
        return TagExchanges.payload(address, values, connection.settings().byteOrder());
    }

    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<ModbusAddress>> items, long timeoutMs)
            throws IOException {
        return connection.exchanges().write(items, timeoutMs);
    }

    @Override
    public long requestTimeoutMs() {
        return connection.settings().requestTimeoutMs();
    }
}
