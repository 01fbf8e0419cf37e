package site.gateway.plc.modbus;

import java.util.Collection;
import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.metadata.Metadata;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** Per tag of a write: OK, or what the device's exception answer maps to. */
final class ModbusWriteResponse implements PlcWriteResponse {
    private final ModbusWriteRequest request;
    private final Map<String, PlcResponseCode> codes;

    ModbusWriteResponse(ModbusWriteRequest request, Map<String, PlcResponseCode> codes) {
        this.request = request;
        this.codes = codes;
    }

    @Override
    public PlcWriteRequest getRequest() {
        return request;
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
