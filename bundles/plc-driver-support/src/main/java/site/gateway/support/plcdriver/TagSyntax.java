package site.gateway.support.plcdriver;

import java.util.function.Function;

import org.apache.plc4x.java.api.model.PlcTag;

/**
 * A driver's tags as its read and write builders take them: by address (parsed) or as a parsed tag of its own type.
 *
 * @param requestTimeoutMs how long a request's {@code execute().get()} without a timeout of its own may take
 */
public record TagSyntax<A extends PlcTag>(Class<A> type, Function<String, A> parser, long requestTimeoutMs) {
    /** @throws IllegalArgumentException not an address of this driver, saying why */
    public A parse(String address) {
        return parser.apply(address);
    }

    /** @throws IllegalArgumentException a tag of another driver */
    public A cast(PlcTag tag) {
        if (!type.isInstance(tag)) {
            throw new IllegalArgumentException("not a tag of this driver: " + tag);
        }
        return type.cast(tag);
    }
}
