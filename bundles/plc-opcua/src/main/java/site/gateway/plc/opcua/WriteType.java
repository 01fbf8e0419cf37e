package site.gateway.plc.opcua;

import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.Locale;

import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

import site.gateway.support.plcdriver.ExactValues;

/**
 * The PLC4X type of a tag address and the OPC UA built-in type a value is written as: BOOL Boolean, SINT SByte,
 * USINT/BYTE Byte, INT Int16, UINT/WORD UInt16, DINT Int32, UDINT/DWORD UInt32, LINT Int64, ULINT/LWORD UInt64, REAL
 * Float, LREAL Double, STRING/WSTRING/CHAR/WCHAR String. A value the type cannot hold exactly is refused, never
 * rounded or cut.
 */
enum WriteType {
    BOOL(Boolean.class), SINT(Byte.class), USINT(UByte.class), BYTE(UByte.class), INT(Short.class), UINT(UShort.class),
    WORD(UShort.class), DINT(Integer.class), UDINT(UInteger.class), DWORD(UInteger.class), LINT(Long.class),
    ULINT(ULong.class), LWORD(ULong.class), REAL(Float.class), LREAL(Double.class), STRING(String.class),
    WSTRING(String.class), CHAR(String.class), WCHAR(String.class);

    private final Class<?> javaType;

    WriteType(Class<?> javaType) {
        this.javaType = javaType;
    }

    /** The type of that name (any case), or null. */
    static WriteType named(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The variant a write sends: one value, or an array of them. */
    Variant variant(Object[] values) {
        if (values.length == 1) {
            return new Variant(convert(values[0]));
        }
        Object array = Array.newInstance(javaType, values.length);
        for (int i = 0; i < values.length; i++) {
            Array.set(array, i, convert(values[i]));
        }
        return new Variant(array);
    }

    private Object convert(Object value) {
        return switch (this) {
            case BOOL -> ExactValues.toBoolean(value);
            case SINT -> (byte) ExactValues.whole(name(), number(value));
            case USINT, BYTE -> UByte.valueOf(ExactValues.whole(name(), number(value)));
            case INT -> (short) ExactValues.whole(name(), number(value));
            case UINT, WORD -> UShort.valueOf((int) ExactValues.whole(name(), number(value)));
            case DINT -> (int) ExactValues.whole(name(), number(value));
            case UDINT, DWORD -> UInteger.valueOf(ExactValues.whole(name(), number(value)));
            case LINT -> ExactValues.whole(name(), number(value));
            case ULINT, LWORD -> ULong.valueOf(ExactValues.whole(name(), number(value), BigInteger.ZERO, ExactValues.ULINT_MAX));
            case REAL -> real(value);
            case LREAL -> number(value).doubleValue();
            case STRING, WSTRING, CHAR, WCHAR -> string(value);
        };
    }

    private float real(Object value) {
        double d = number(value).doubleValue();
        float f = (float) d;
        if (Double.isFinite(d) && Float.isInfinite(f)) {
            throw new IllegalArgumentException("REAL cannot hold " + value);
        }
        return f;
    }

    private String string(Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(name() + " needs a string, not " + ExactValues.describe(value));
        }
        if ((this == CHAR || this == WCHAR) && s.codePointCount(0, s.length()) != 1) {
            throw new IllegalArgumentException(name() + " needs one character, not '" + s + "'");
        }
        return s;
    }

    private Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalArgumentException(name() + " needs a number, not " + ExactValues.describe(value));
    }
}
