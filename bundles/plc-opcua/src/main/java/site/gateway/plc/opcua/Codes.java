package site.gateway.plc.opcua;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * OPC UA status codes as PLC4X response codes: Good is OK; Uncertain is REMOTE_BUSY (what the plc core reports as
 * {@code uncertain}); Bad is what the code says (unknown node NOT_FOUND, not readable/writable or denied
 * ACCESS_DENIED, type mismatch INVALID_DATATYPE, ...), otherwise REMOTE_ERROR.
 */
final class Codes {
    private Codes() {
    }

    static PlcResponseCode of(StatusCode status) {
        if (status == null || status.isGood()) {
            return PlcResponseCode.OK;
        }
        if (status.isUncertain()) {
            return PlcResponseCode.REMOTE_BUSY;
        }
        long code = status.getValue() & 0xFFFF_0000L;
        if (code == StatusCodes.Bad_NodeIdUnknown || code == StatusCodes.Bad_AttributeIdInvalid) {
            return PlcResponseCode.NOT_FOUND;
        } else if (code == StatusCodes.Bad_NodeIdInvalid) {
            return PlcResponseCode.INVALID_ADDRESS;
        } else if (code == StatusCodes.Bad_NotReadable || code == StatusCodes.Bad_NotWritable
                || code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_SecurityModeInsufficient) {
            return PlcResponseCode.ACCESS_DENIED;
        } else if (code == StatusCodes.Bad_TypeMismatch) {
            return PlcResponseCode.INVALID_DATATYPE;
        } else if (code == StatusCodes.Bad_OutOfRange || code == StatusCodes.Bad_IndexRangeInvalid) {
            return PlcResponseCode.INVALID_DATA;
        } else if (code == StatusCodes.Bad_WriteNotSupported || code == StatusCodes.Bad_ServiceUnsupported
                || code == StatusCodes.Bad_MonitoredItemFilterUnsupported) {
            return PlcResponseCode.UNSUPPORTED;
        }
        return PlcResponseCode.REMOTE_ERROR;
    }

    /** The code's name and meaning, for logs: "Bad_NodeIdUnknown (The node id refers to a node that does not exist ...)". */
    static String describe(StatusCode status) {
        return StatusCodes.lookup(status.getValue())
                .map(text -> text[0] + (text.length > 1 && !text[1].isEmpty() ? " (" + text[1] + ")" : ""))
                .orElse(String.format("0x%08X", status.getValue()));
    }
}
