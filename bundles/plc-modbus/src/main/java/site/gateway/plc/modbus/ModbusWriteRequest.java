package site.gateway.plc.modbus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;

import site.gateway.support.plcdriver.CallerRunsFuture;
import site.gateway.support.plcdriver.DriverValue;
import site.gateway.support.plcdriver.WriteResults;

/** A write of named tags; values are checked and encoded when added, so a value a tag cannot take fails at once. */
final class ModbusWriteRequest implements PlcWriteRequest {
    /** One tag to write, with the bytes that go out. */
    record Item(String name, ModbusAddress address, Object[] values, byte[] payload) {
    }

    private final ModbusConnection connection;
    private final Map<String, Item> items;

    ModbusWriteRequest(ModbusConnection connection, Map<String, Item> items) {
        this.connection = connection;
        this.items = new LinkedHashMap<>(items);
    }

    /** Runs on the thread that waits for the answer; see {@link CallerRunsFuture}. */
    @Override
    public CompletableFuture<PlcWriteResponse> execute() {
        return new CallerRunsFuture<>(timeoutMs -> new WriteResults(this,
                connection.exchanges().write(List.copyOf(items.values()), timeoutMs)), connection.settings().requestTimeoutMs());
    }

    @Override
    public int getNumberOfValues(String name) {
        Item item = items.get(name);
        return item == null ? 0 : item.values().length;
    }

    @Override
    public PlcValue getPlcValue(String name) {
        Item item = items.get(name);
        if (item == null) {
            return null;
        }
        List<DriverValue> values = new ArrayList<>();
        for (Object value : item.values()) {
            values.add(DriverValue.of(item.address().type().plcValueType(), value));
        }
        return values.size() == 1 ? values.get(0) : DriverValue.list(values);
    }

    @Override
    public int getNumberOfTags() {
        return items.size();
    }

    @Override
    public LinkedHashSet<String> getTagNames() {
        return new LinkedHashSet<>(items.keySet());
    }

    @Override
    public PlcResponseCode getTagResponseCode(String name) {
        return items.containsKey(name) ? PlcResponseCode.OK : PlcResponseCode.NOT_FOUND;
    }

    @Override
    public PlcTag getTag(String name) {
        Item item = items.get(name);
        return item == null ? null : item.address();
    }

    @Override
    public List<PlcTag> getTags() {
        return items.values().stream().map(i -> (PlcTag) i.address()).toList();
    }

    /** PLC4X's builder. */
    static final class Builder implements PlcWriteRequest.Builder {
        private final ModbusConnection connection;
        private final Map<String, Item> items = new LinkedHashMap<>();

        Builder(ModbusConnection connection) {
            this.connection = connection;
        }

        @Override
        public PlcWriteRequest build() {
            return new ModbusWriteRequest(connection, items);
        }

        @Override
        public Builder addTagAddress(String name, String address, Object... values) {
            return add(name, ModbusAddress.parse(address), values);
        }

        @Override
        public Builder addTag(String name, PlcTag tag, Object... values) {
            if (!(tag instanceof ModbusAddress address)) {
                throw new IllegalArgumentException("not a tag of this driver: " + tag);
            }
            return add(name, address, values);
        }

        private Builder add(String name, ModbusAddress address, Object[] values) {
            Object[] copy = values.clone();
            items.put(name, new Item(name, address, copy, TagExchanges.payload(address, copy, connection.settings().byteOrder())));
            return this;
        }
    }
}
