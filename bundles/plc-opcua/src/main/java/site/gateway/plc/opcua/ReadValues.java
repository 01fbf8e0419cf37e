package site.gateway.plc.opcua;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.plc4x.java.api.types.PlcValueType;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import site.gateway.support.plcdriver.DriverValue;

/**
 * A value read from the server as the plc core takes it, by the OPC UA built-in type the server sent, with the Java
 * types PLC4X's value classes carry (Int16 an INT Short, UInt32 a UDINT Long, ...). DateTime becomes an ISO-8601
 * instant (DATE_AND_TIME), Guid and LocalizedText strings, ByteString a list of USINT; arrays become lists. Other
 * types (structures, node ids, ...) are not offered: null.
 */
final class ReadValues {
    private ReadValues() {
    }

    /** The value of {@code variant}, or null if it is empty or of a type not offered. */
    static DriverValue of(Variant variant) {
        Object value = variant == null ? null : variant.getValue();
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<DriverValue> items = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                DriverValue item = scalar(Array.get(value, i));
                if (item == null) {
                    return null;
                }
                items.add(item);
            }
            return DriverValue.list(items);
        }
        return scalar(value);
    }

    private static DriverValue scalar(Object value) {
        if (value instanceof Boolean b) {
            return DriverValue.of(PlcValueType.BOOL, b);
        } else if (value instanceof Byte b) {
            return DriverValue.of(PlcValueType.SINT, b);
        } else if (value instanceof UByte u) {
            return DriverValue.of(PlcValueType.USINT, u.shortValue());
        } else if (value instanceof Short s) {
            return DriverValue.of(PlcValueType.INT, s);
        } else if (value instanceof UShort u) {
            return DriverValue.of(PlcValueType.UINT, u.intValue());
        } else if (value instanceof Integer i) {
            return DriverValue.of(PlcValueType.DINT, i);
        } else if (value instanceof UInteger u) {
            return DriverValue.of(PlcValueType.UDINT, u.longValue());
        } else if (value instanceof Long l) {
            return DriverValue.of(PlcValueType.LINT, l);
        } else if (value instanceof ULong u) {
            return DriverValue.of(PlcValueType.ULINT, u.toBigInteger());
        } else if (value instanceof Float f) {
            return DriverValue.of(PlcValueType.REAL, f);
        } else if (value instanceof Double d) {
            return DriverValue.of(PlcValueType.LREAL, d);
        } else if (value instanceof String s) {
            return DriverValue.of(PlcValueType.STRING, s);
        } else if (value instanceof LocalizedText text) {
            return text.getText() == null ? null : DriverValue.of(PlcValueType.STRING, text.getText());
        } else if (value instanceof UUID uuid) {
            return DriverValue.of(PlcValueType.STRING, uuid.toString());
        } else if (value instanceof DateTime time) {
            return DriverValue.of(PlcValueType.DATE_AND_TIME, time.getJavaInstant().toString());
        } else if (value instanceof ByteString bytes) {
            byte[] raw = bytes.bytesOrEmpty();
            List<DriverValue> items = new ArrayList<>(raw.length);
            for (byte b : raw) {
                items.add(DriverValue.of(PlcValueType.USINT, (short) (b & 0xFF)));
            }
            return DriverValue.list(items);
        }
        return null;
    }
}
