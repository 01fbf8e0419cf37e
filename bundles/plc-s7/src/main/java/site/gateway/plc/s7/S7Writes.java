package site.gateway.plc.s7;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.types.PlcResponseCode;

import site.gateway.support.plcdriver.TagWriteRequest;

/** The S7 part of a write: its addresses, its payload, its Write Var exchanges. */
final class S7Writes implements TagWriteRequest.Protocol<S7Address> {
    private final S7Connection connection;

    S7Writes(S7Connection connection) {
        this.connection = connection;
    }

    @Override
    public S7Address parse(String address) {
        return S7Address.parse(address);
    }

    @Override
    public byte[] payload(S7Address address, Object[] values) {
        return TagExchanges.payload(address, values);
    }

    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<S7Address>> items, long timeoutMs)
            throws IOException {
        return connection.exchanges().write(items, timeoutMs);
    }

    @Override
    public long requestTimeoutMs() {
        return connection.settings().requestTimeoutMs();
    }
}
