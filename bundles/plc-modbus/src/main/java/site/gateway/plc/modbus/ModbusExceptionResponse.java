package site.gateway.plc.modbus;

import java.io.IOException;

import org.apache.plc4x.java.api.types.PlcResponseCode;

/** The device answered a request with a Modbus exception code (the request failed; the connection is fine). */
final class ModbusExceptionResponse extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;

    ModbusExceptionResponse(int code) {
        super("Modbus exception " + code + " (" + name(code) + ")");
        this.code = code;
    }

    int code() {
        return code;
    }

    /** What the plc core makes of it: busy / acknowledge are "uncertain", the rest "bad". */
    PlcResponseCode responseCode() {
        return switch (code) {
            case 1 -> PlcResponseCode.UNSUPPORTED;
            case 2 -> PlcResponseCode.INVALID_ADDRESS;
            case 3 -> PlcResponseCode.INVALID_DATA;
            case 5 -> PlcResponseCode.RESPONSE_PENDING;
            case 6 -> PlcResponseCode.REMOTE_BUSY;
            default -> PlcResponseCode.REMOTE_ERROR;
        };
    }

    /** The names of the Modbus specification (V1.1b3, 7). */
    static String name(int code) {
        return switch (code) {
            case 1 -> "ILLEGAL FUNCTION";
            case 2 -> "ILLEGAL DATA ADDRESS";
            case 3 -> "ILLEGAL DATA VALUE";
            case 4 -> "SERVER DEVICE FAILURE";
            case 5 -> "ACKNOWLEDGE";
            case 6 -> "SERVER DEVICE BUSY";
            case 8 -> "MEMORY PARITY ERROR";
            case 10 -> "GATEWAY PATH UNAVAILABLE";
            case 11 -> "GATEWAY TARGET DEVICE FAILED TO RESPOND";
            default -> "unknown exception code";
        };
    }
}
