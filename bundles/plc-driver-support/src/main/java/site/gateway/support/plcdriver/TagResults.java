package site.gateway.support.plcdriver;

import java.util.Collection;
import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcTagRequest;
import org.apache.plc4x.java.api.messages.PlcTagResponse;
import org.apache.plc4x.java.api.metadata.Metadata;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** What read and write responses share: the request's tags and a response code per tag. */
public abstract class TagResults implements PlcTagResponse {
    private final PlcTagRequest request;
    private final Map<String, PlcResponseCode> codes;

    protected TagResults(PlcTagRequest request, Map<String, PlcResponseCode> codes) {
        this.request = request;
        this.codes = codes;
    }

    @Override
    public Collection<String> getTagNames() {
        return request.getTagNames();
    }

    @Override
    public PlcTag getTag(String name) {
        return request.getTag(name);
    }

    @Override
    public PlcResponseCode getResponseCode(String name) {
        return codes.getOrDefault(name, PlcResponseCode.NOT_FOUND);
    }

    @Override
    public Metadata getTagMetadata(String name) {
        return Metadata.EMPTY;
    }
}
