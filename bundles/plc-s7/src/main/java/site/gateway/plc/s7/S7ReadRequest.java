package site.gateway.plc.s7;

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
 * A read of named tags, planned into as few Read Var requests as the addresses and the connection's PDU size allow
 * ({@link ReadPlan}); the plan is made at the first execution and kept while the PDU size stays (the plc core builds
 * its poll request once per connection and executes it every poll).
 */
final class S7ReadRequest implements PlcReadRequest {
    private final S7Connection connection;
    private final Map<String, S7Address> tags;
    private final LinkedHashSet<String> order;
    private volatile ReadPlan plan;

    S7ReadRequest(S7Connection connection, Map<String, S7Address> tags) {
        this.connection = connection;
        this.tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags)); // in order: a deterministic plan
        this.order = new LinkedHashSet<>(tags.keySet());
    }

    /** Runs on the thread that waits for the answer; see {@link CallerRunsFuture}. */
    @Override
    public CompletableFuture<PlcReadResponse> execute() {
        return new CallerRunsFuture<>(timeoutMs -> {
            TagExchanges exchanges = connection.exchanges();
            TagExchanges.Results results = exchanges.read(plan(exchanges.pduSize()), timeoutMs);
            return new ReadResults(this, results.codes(), results.values());
        }, connection.settings().requestTimeoutMs());
    }

    /** The plan for {@code pduSize}: the last one, or a new one if the PDU size changed (a reconnect). */
    ReadPlan plan(int pduSize) {
        ReadPlan current = plan;
        if (current == null || current.pduSize != pduSize) {
            current = ReadPlan.of(tags, pduSize);
            plan = current;
        }
        return current;
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
        private final S7Connection connection;
        private final Map<String, S7Address> tags = new LinkedHashMap<>();

        Builder(S7Connection connection) {
            this.connection = connection;
        }

        @Override
        public PlcReadRequest build() {
            return new S7ReadRequest(connection, tags);
        }

        @Override
        public Builder addTagAddress(String name, String address) {
            tags.put(name, S7Address.parse(address));
            return this;
        }

        @Override
        public Builder addTag(String name, PlcTag tag) {
            if (!(tag instanceof S7Address address)) {
                throw new IllegalArgumentException("not a tag of this driver: " + tag);
            }
            tags.put(name, address);
            return this;
        }
    }
}
