package site.gateway.plc.s7;

import org.apache.plc4x.java.api.types.PlcResponseCode;

/** The return code the PLC gives each item of a Read Var or Write Var: 0xFF is success. */
final class ItemCode {
    static final int SUCCESS = 0xFF;
    static final int ADDRESS_OUT_OF_RANGE = 0x05;

    private ItemCode() {
    }

    static PlcResponseCode responseCode(int code) {
        return switch (code) {
            case SUCCESS -> PlcResponseCode.OK;
            case 0x03 -> PlcResponseCode.ACCESS_DENIED;
            case ADDRESS_OUT_OF_RANGE -> PlcResponseCode.INVALID_ADDRESS;
            case 0x06, 0x07 -> PlcResponseCode.INVALID_DATATYPE;
            case 0x0A -> PlcResponseCode.NOT_FOUND;
            default -> PlcResponseCode.REMOTE_ERROR;
        };
    }

    static String describe(int code) {
        String text = switch (code) {
            case 0x01 -> "hardware fault";
            case 0x03 -> "access to the object not allowed";
            case ADDRESS_OUT_OF_RANGE -> "address out of range";
            case 0x06 -> "data type not supported";
            case 0x07 -> "data type inconsistent";
            case 0x0A -> "object does not exist";
            default -> "error";
        };
        return String.format("return code 0x%02x (%s)", code, text);
    }
}
