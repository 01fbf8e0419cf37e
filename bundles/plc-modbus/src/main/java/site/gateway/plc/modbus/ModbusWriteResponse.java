package site.gateway.plc.modbus;

import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** Per tag of a write: OK, or what the device's exception answer maps to. */
final class ModbusWriteResponse extends TagResults implements PlcWriteResponse {
    private final ModbusWriteRequest request;

    ModbusWriteResponse(ModbusWriteRequest request, Map<String, PlcResponseCode> codes) {
        super(request, codes);
        this.request = request;
    }

    @Override
    public PlcWriteRequest getRequest() {
        return request;
    }
}
