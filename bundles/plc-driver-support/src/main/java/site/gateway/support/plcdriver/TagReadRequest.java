package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;

/**
 * A read of named tags for the gateway's own drivers, whatever the protocol. The plc core builds its poll
 * request once per connection and executes it every poll, so the driver's {@link Reader} is made once per
 * request and may keep its plan of protocol requests; each execution runs on the thread that waits for the
 * answer (see {@link CallerRunsFuture}).
 */
public final class TagReadRequest<A extends PlcTag> extends NamedTags<PlcTag> implements PlcReadRequest {
    /** Codes and values by tag name, from one execution. */
    public record Results(Map<String, PlcResponseCode> codes, Map<String, PlcValue> values) {
    }

    /** A driver's reader of one request's tags. */
    public interface Reader {
        Results read(long timeoutMs) throws Exception;
    }

    private final Reader reader;
    private final long requestTimeoutMs;

    /** {@code ordered}: the request's own copy of the tags, in order (a deterministic plan). */
    private TagReadRequest(Map<String, A> ordered, Function<Map<String, A>, Reader> readers, long requestTimeoutMs) {
        super(ordered);
        this.reader = readers.apply(ordered);
        this.requestTimeoutMs = requestTimeoutMs;
    }

    @Override
    public CompletableFuture<PlcReadResponse> execute() {
        return new CallerRunsFuture<>(timeoutMs -> {
            Results results = reader.read(timeoutMs);
            return new ReadResults(this, results.codes(), results.values());
        }, requestTimeoutMs);
    }

    /** The driver's reader (its plan), for the driver's tests. */
    public Reader reader() {
        return reader;
    }

    /** PLC4X's builder: tags by parsed tag or by address. */
    public static final class Builder<A extends PlcTag> implements PlcReadRequest.Builder {
        private final TagSyntax<A> syntax;
        private final Function<Map<String, A>, Reader> readers;
        private final Map<String, A> tags = new LinkedHashMap<>();

        public Builder(TagSyntax<A> syntax, Function<Map<String, A>, Reader> readers) {
            this.syntax = syntax;
            this.readers = readers;
        }

        @Override
        public PlcReadRequest build() {
            return new TagReadRequest<>(Collections.unmodifiableMap(new LinkedHashMap<>(tags)), readers,
                    syntax.requestTimeoutMs());
        }

        @Override
        public Builder<A> addTagAddress(String name, String address) {
            tags.put(name, syntax.parse(address));
            return this;
        }

        @Override
        public Builder<A> addTag(String name, PlcTag tag) {
            tags.put(name, syntax.cast(tag));
            return this;
        }
    }
}
