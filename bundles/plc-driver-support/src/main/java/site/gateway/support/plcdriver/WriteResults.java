package site.gateway.support.plcdriver;

import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** Per tag of a write: OK, or what the device's refusal maps to. */
public final class WriteResults extends TagResults implements PlcWriteResponse {
    private final PlcWriteRequest request;

    public WriteResults(PlcWriteRequest request, Map<String, PlcResponseCode> codes) {
        super(request, codes);
        this.request = request;
    }

    @Override
    public PlcWriteRequest getRequest() {
        return request;
    }
}
