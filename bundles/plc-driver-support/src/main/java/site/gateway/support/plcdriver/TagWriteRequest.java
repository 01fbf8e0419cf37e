package site.gateway.support.plcdriver;

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

/**
 * A write of named tags for the gateway's own drivers, whatever the protocol: values are checked and encoded
 * when added (so a value a tag cannot take fails at once), and the write runs on the thread that waits for
 * the answer (see {@link CallerRunsFuture}). The driver supplies its address type and how it sends.
 */
public final class TagWriteRequest<A extends PlcTag> implements PlcWriteRequest {
    /** One tag to write, with the bytes that go out. */
    public record Item<A>(String name, A address, Object[] values, byte[] payload) {
    }

    /** What a driver does for a write. */
    public interface Protocol<A extends PlcTag> {
        /** The bytes that go out for these values; throws IllegalArgumentException for a value the tag cannot take. */
        byte[] payload(A address, Object[] values);

        /** Sends the items on the calling thread; answers a code per tag name. */
        Map<String, PlcResponseCode> write(List<Item<A>> items, long timeoutMs) throws Exception;
    }

    private final Protocol<A> protocol;
    private final Map<String, Item<A>> items;
    private final long requestTimeoutMs;

    private TagWriteRequest(Protocol<A> protocol, Map<String, Item<A>> items, long requestTimeoutMs) {
        this.protocol = protocol;
        this.items = new LinkedHashMap<>(items);
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    public CompletableFuture<PlcWriteResponse> execute() {
        return new CallerRunsFuture<>(timeoutMs -> new WriteResults(this,
                protocol.write(List.copyOf(items.values()), timeoutMs)), requestTimeoutMs);
    }

    @Override
    public int getNumberOfValues(String name) {
        Item<A> item = items.get(name);
        return item == null ? 0 : item.values().length;
    }

    @Override
    public PlcValue getPlcValue(String name) {
        Item<A> item = items.get(name);
        if (item == null) {
            return null;
        }
        return DriverValue.of(item.address().getPlcValueType(), item.values().length, k -> item.values()[k]);
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
        Item<A> item = items.get(name);
        return item == null ? null : item.address();
    }

    @Override
    public List<PlcTag> getTags() {
        return items.values().stream().map(i -> (PlcTag) i.address()).toList();
    }

    /** PLC4X's builder: tags by parsed tag or by address, as {@link TagReadRequest.Builder}. */
    public static final class Builder<A extends PlcTag> implements PlcWriteRequest.Builder {
        private final TagSyntax<A> syntax;
        private final Protocol<A> protocol;
        private final Map<String, Item<A>> items = new LinkedHashMap<>();

        public Builder(TagSyntax<A> syntax, Protocol<A> protocol) {
            this.syntax = syntax;
            this.protocol = protocol;
        }

        @Override
        public PlcWriteRequest build() {
            return new TagWriteRequest<>(protocol, items, syntax.requestTimeoutMs());
        }

        @Override
        public Builder<A> addTagAddress(String name, String address, Object... values) {
            return add(name, syntax.parse(address), values);
        }

        @Override
        public Builder<A> addTag(String name, PlcTag tag, Object... values) {
            return add(name, syntax.cast(tag), values);
        }

        private Builder<A> add(String name, A address, Object[] values) {
            Object[] copy = values.clone();
            items.put(name, new Item<>(name, address, copy, protocol.payload(address, copy)));
            return this;
        }
    }
}
