package site.gateway.plc.modbus;

import java.io.IOException;

/** The device answered something that is not a well-formed Modbus TCP answer to the request. */
final class ModbusProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ModbusProtocolException(String message) {
        super(message);
    }
}
