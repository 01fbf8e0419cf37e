package site.gateway.plc.s7;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.apache.plc4x.java.api.types.PlcValueType;

import site.gateway.support.plcdriver.BigEndian;
import site.gateway.support.plcdriver.DriverTag;
import site.gateway.support.plcdriver.ExactValues;

/**
 * The S7 data types this driver reads and writes (big-endian, as the CPU stores them), with the Java type PLC4X's
 * value classes carry for each (INT a Short, UDINT a Long, ...), so telemetry is the same with either driver.
 * STRING is Siemens' S7 string: a byte with the declared length, a byte with the actual length, then the
 * characters (one byte each, read and written as ISO 8859-1).
 */
enum DataType implements DriverTag.Type {
    BOOL(1), BYTE(1), WORD(2), DWORD(4), LWORD(8),
    SINT(1), INT(2), DINT(4), LINT(8),
    USINT(1), UINT(2), UDINT(4), ULINT(8),
    REAL(4), LREAL(8), CHAR(1), STRING(0);

    /** Bytes one element takes (STRING: see {@link #size}). */
    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes one element takes; a STRING of declared length n takes n + 2. */
    int size(int stringLength) {
        return this == STRING ? stringLength + 2 : bytes;
    }

    @Override
    public PlcValueType plcValueType() {
        return PlcValueType.valueOf(name());
    }

    /** The element at {@code offset} (not for BOOL, which is a bit: see {@link #bit}). */
    Object decode(byte[] b, int offset, int stringLength) {
        return switch (this) {
            case BOOL -> (b[offset] & 1) != 0;
            case SINT -> b[offset];
            case BYTE, USINT -> (short) (b[offset] & 0xFF);
            case CHAR -> new String(b, offset, 1, StandardCharsets.ISO_8859_1);
            case STRING -> string(b, offset, stringLength);
            default -> BigEndian.number(plcValueType(), b, offset);
        };
    }

    /** Bit {@code bit} (0 = lowest) counted from the byte at {@code offset}. */
    static boolean bit(byte[] b, int offset, int bit) {
        return (b[offset + bit / 8] >> (bit % 8) & 1) != 0;
    }

    /** The characters a STRING holds: no more than its actual length, its maximum or what the tag declares. */
    private static String string(byte[] b, int offset, int declared) {
        int max = b[offset] & 0xFF;
        int actual = b[offset + 1] & 0xFF;
        int length = Math.min(actual, Math.min(declared, max == 0 ? declared : max));
        return new String(b, offset + 2, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code value} at {@code offset} ({@link #size} bytes); refuses what the type cannot hold exactly.
     *
     * @throws IllegalArgumentException with the reason
     */
    void encode(Object value, byte[] b, int offset, int stringLength) {
        switch (this) {
            case BOOL -> b[offset] = (byte) (ExactValues.toBoolean(value) ? 1 : 0);
            case STRING -> encodeString(value, b, offset, stringLength);
            case CHAR -> encodeString(value, b, offset, -1);
            case REAL -> BigEndian.put(b, offset, 4, Float.floatToIntBits(number(value).floatValue()));
            case LREAL -> BigEndian.put(b, offset, 8, Double.doubleToLongBits(number(value).doubleValue()));
            case LWORD, ULINT -> BigEndian.put(b, offset, 8, ExactValues.whole(name(), number(value), BigInteger.ZERO, ExactValues.ULINT_MAX).longValue());
            default -> BigEndian.put(b, offset, bytes, ExactValues.whole(name(), number(value)));
        }
    }

    /** STRING (declared length n: n + 2 bytes) or, with {@code declared} -1, CHAR (exactly one character). */
    private void encodeString(Object value, byte[] b, int offset, int declared) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(name() + " needs a string, not " + ExactValues.describe(value));
        }
        byte[] chars = text.getBytes(StandardCharsets.ISO_8859_1);
        if (!new String(chars, StandardCharsets.ISO_8859_1).equals(text)) {
            throw new IllegalArgumentException(name() + " holds one byte per character (ISO 8859-1): '" + text + "' does not fit");
        }
        if (declared < 0) {
            if (chars.length != 1) {
                throw new IllegalArgumentException("CHAR needs exactly one character, not '" + text + "'");
            }
            b[offset] = chars[0];
            return;
        }
        if (chars.length > declared) {
            throw new IllegalArgumentException("'" + text + "' is longer than the STRING(" + declared + ") it goes to");
        }
        b[offset] = (byte) declared;
        b[offset + 1] = (byte) chars.length;
        System.arraycopy(chars, 0, b, offset + 2, chars.length);
    }

    private Number number(Object value) {
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(name() + " needs a number, not " + ExactValues.describe(value));
        }
        return number;
    }

    /** The type named {@code name} (as in PLC4X addresses), or null if this driver does not know it. */
    static DataType named(String name) {
        for (DataType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
