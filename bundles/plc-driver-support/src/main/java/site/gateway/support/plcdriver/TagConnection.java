package site.gateway.support.plcdriver;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/**
 * A gateway driver's connection that reads with a {@link TagReadRequest} and writes with a {@link TagWriteRequest}:
 * the driver gives its {@link TagSyntax}, a reader per request, the bytes a write sends, and a session that
 * writes them.
 */
public abstract class TagConnection<A extends PlcTag, S extends TagConnection.TagSession<A>> extends ConnectionBase<S>
        implements TagWriteRequest.Protocol<A> {
    /** A session that writes tags. */
    public interface TagSession<A> extends ConnectionBase.Session {
        /** Sends the items on the calling thread; answers a code per tag name. */
        Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<A>> items, long timeoutMs) throws Exception;
    }

    private final TagSyntax<A> syntax;

    protected TagConnection(Names names, String peer, TagSyntax<A> syntax) {
        super(names, peer);
        this.syntax = syntax;
    }

    /** The reader of one request's tags (made once per request: it may keep its plan). */
    protected abstract TagReadRequest.Reader reader(Map<String, A> tags);

    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<A>> items, long timeoutMs) throws Exception {
        return session().write(items, timeoutMs);
    }

    @Override
    public Optional<PlcTag> parseTagAddress(String address) {
        try {
            return Optional.of(syntax.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public PlcReadRequest.Builder readRequestBuilder() {
        return new TagReadRequest.Builder<>(syntax, this::reader);
    }

    @Override
    public PlcWriteRequest.Builder writeRequestBuilder() {
        return new TagWriteRequest.Builder<>(syntax, this);
    }
}
