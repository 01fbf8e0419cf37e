package site.gateway.plc.modbus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

import site.gateway.support.plcdriver.CallerRunsFuture;
import site.gateway.support.plcdriver.ReadResults;

/**
 * A read of named tags, planned into as few Modbus requests as the addresses allow ({@link ReadPlan}) when it is
 * built; the plc core builds its poll request once per connection and executes it every poll.
 */
final class ModbusReadRequest implements PlcReadRequest {
    private final ModbusConnection connection;
    private final Map<String, ModbusAddress> tags;
    private final LinkedHashSet<String> order;
    private final List<ReadPlan.Chunk> plan;

    ModbusReadRequest(ModbusConnection connection, Map<String, ModbusAddress> tags) {
        this.connection = connection;
        this.tags = Map.copyOf(tags);
        this.order = new LinkedHashSet<>(tags.keySet());
        this.plan = ReadPlan.of(tags, connection.settings());
    }

    /** Runs on the thread that waits for the answer; see {@link CallerRunsFuture}. */
    @Override
    public CompletableFuture<PlcReadResponse> execute() {
        return new CallerRunsFuture<>(timeoutMs -> {
            TagExchanges.Results results = connection.exchanges().read(plan, timeoutMs);
            return new ReadResults(this, results.codes(), results.values());
        }, connection.settings().requestTimeoutMs());
    }

    /** The Modbus requests one execution sends. */
    int requestCount() {
        return plan.size();
    }

    @Override
    public int getNumberOfTags() {
        return tags.size();
    }

    @Override
    public LinkedHashSet<String> getTagNames() {
        return new LinkedHashSet<>(order);
    }

    @Override
    public PlcResponseCode getTagResponseCode(String name) {
        return tags.containsKey(name) ? PlcResponseCode.OK : PlcResponseCode.NOT_FOUND;
    }

    @Override
    public PlcTag getTag(String name) {
        return tags.get(name);
    }

    @Override
    public List<PlcTag> getTags() {
        List<PlcTag> list = new ArrayList<>();
        for (String name : order) {
            list.add(tags.get(name));
        }
        return list;
    }

    /** PLC4X's builder: tags by parsed tag or by address. */
    static final class Builder implements PlcReadRequest.Builder {
        private final ModbusConnection connection;
        private final Map<String, ModbusAddress> tags = new LinkedHashMap<>();

        Builder(ModbusConnection connection) {
            this.connection = connection;
        }

        @Override
        public PlcReadRequest build() {
            return new ModbusReadRequest(connection, tags);
        }

        @Override
        public Builder addTagAddress(String name, String address) {
            tags.put(name, ModbusAddress.parse(address));
            return this;
        }

        @Override
        public Builder addTag(String name, PlcTag tag) {
            if (!(tag instanceof ModbusAddress address)) {
                throw new IllegalArgumentException("not a tag of this driver: " + tag);
            }
            tags.put(name, address);
            return this;
        }
    }
}
