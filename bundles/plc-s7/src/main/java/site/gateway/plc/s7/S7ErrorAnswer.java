package site.gateway.plc.s7;

import java.io.IOException;

import org.apache.plc4x.java.api.types.PlcResponseCode;

/** The PLC refused a whole job: error class and code in the S7comm header. A well-formed answer: the connection stays. */
final class S7ErrorAnswer extends IOException {
    private static final long serialVersionUID = 1L;

    final int errorClass;
    final int errorCode;

    S7ErrorAnswer(int errorClass, int errorCode) {
        super(String.format("the PLC refused the request: error class 0x%02x code 0x%02x (%s)", errorClass, errorCode,
                describe(errorClass)));
        this.errorClass = errorClass;
        this.errorCode = errorCode;
    }

    PlcResponseCode responseCode() {
        return errorClass == 0x81 || errorClass == 0x85 ? PlcResponseCode.INVALID_ADDRESS
                : errorClass == 0x84 ? PlcResponseCode.INTERNAL_ERROR : PlcResponseCode.REMOTE_ERROR;
    }

    private static String describe(int errorClass) {
        return switch (errorClass) {
            case 0x81 -> "application relationship";
            case 0x82 -> "object definition";
            case 0x83 -> "no resources available";
            case 0x84 -> "error on service processing";
            case 0x85 -> "error on supplies";
            case 0x87 -> "access error";
            default -> "unknown error class";
        };
    }
}
