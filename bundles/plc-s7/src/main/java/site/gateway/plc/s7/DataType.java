package site.gateway.plc.s7;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.apache.plc4x.java.api.types.PlcValueType;

/**
 * The S7 data types this driver reads and writes (big-endian, as the CPU stores them), with the Java type PLC4X's
 * value classes carry for each (INT a Short, UDINT a Long, ...), so telemetry is the same with either driver.
 * STRING is Siemens' S7 string: a byte with the declared length, a byte with the actual length, then the
 * characters (one byte each, read and written as ISO 8859-1).
 */
enum DataType {
    BOOL(1), BYTE(1), WORD(2), DWORD(4), LWORD(8),
    SINT(1), INT(2), DINT(4), LINT(8),
    USINT(1), UINT(2), UDINT(4), ULINT(8),
    REAL(4), LREAL(8), CHAR(1), STRING(0);

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Bytes one element takes (STRING: see {@link #size}). */
    private final int bytes;

    DataType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes one element takes; a STRING of declared length n takes n + 2. */
    int size(int stringLength) {
        return this == STRING ? stringLength + 2 : bytes;
    }

    PlcValueType plcValueType() {
        return PlcValueType.valueOf(name());
    }

    /** The element at {@code offset} (not for BOOL, which is a bit: see {@link #bit}). */
    Object decode(byte[] b, int offset, int stringLength) {
        return switch (this) {
            case BOOL -> (b[offset] & 1) != 0;
            case SINT -> b[offset];
            case BYTE, USINT -> (short) (b[offset] & 0xFF);
            case CHAR -> new String(b, offset, 1, StandardCharsets.ISO_8859_1);
            case INT -> (short) u16(b, offset);
            case WORD, UINT -> u16(b, offset);
            case DINT -> s32(b, offset);
            case DWORD, UDINT -> s32(b, offset) & 0xFFFF_FFFFL;
            case REAL -> Float.intBitsToFloat(s32(b, offset));
            case LINT -> s64(b, offset);
            case LWORD, ULINT -> unsigned(s64(b, offset));
            case LREAL -> Double.longBitsToDouble(s64(b, offset));
            case STRING -> string(b, offset, stringLength);
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
            case BOOL -> b[offset] = (byte) (toBoolean(value) ? 1 : 0);
            case STRING -> encodeString(value, b, offset, stringLength);
            case CHAR -> encodeString(value, b, offset, -1);
            case REAL -> put(b, offset, 4, Float.floatToIntBits(number(value).floatValue()));
            case LREAL -> put(b, offset, 8, Double.doubleToLongBits(number(value).doubleValue()));
            case LWORD, ULINT -> put(b, offset, 8, integral(number(value), BigInteger.ZERO, TWO_64.subtract(BigInteger.ONE)).longValue());
            default -> put(b, offset, bytes, integral(number(value), BigInteger.valueOf(min()), BigInteger.valueOf(max())).longValue());
        }
    }

    /** STRING (declared length n: n + 2 bytes) or, with {@code declared} -1, CHAR (exactly one character). */
    private void encodeString(Object value, byte[] b, int offset, int declared) {
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException(name() + " needs a string, not " + describe(value));
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
            throw new IllegalArgumentException(name() + " needs a number, not " + describe(value));
        }
        return number;
    }

    private long min() {
        return switch (this) {
            case SINT -> Byte.MIN_VALUE;
            case INT -> Short.MIN_VALUE;
            case DINT -> Integer.MIN_VALUE;
            case LINT -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    private long max() {
        return switch (this) {
            case SINT -> Byte.MAX_VALUE;
            case BYTE, USINT -> 0xFF;
            case INT -> Short.MAX_VALUE;
            case WORD, UINT -> 0xFFFF;
            case DINT -> Integer.MAX_VALUE;
            case DWORD, UDINT -> 0xFFFF_FFFFL;
            default -> Long.MAX_VALUE;
        };
    }

    private BigInteger integral(Number number, BigInteger min, BigInteger max) {
        BigInteger exact;
        try {
            exact = number instanceof BigInteger big ? big : new BigDecimal(number.toString()).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(name() + " needs a whole number, not " + number);
        }
        if (exact.compareTo(min) < 0 || exact.compareTo(max) > 0) {
            throw new IllegalArgumentException(number + " is outside the range of " + name() + " (" + min + " … " + max + ")");
        }
        return exact;
    }

    private static boolean toBoolean(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        throw new IllegalArgumentException("BOOL needs true/false (or 0/1), not " + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    private static int s32(byte[] b, int offset) {
        return (u16(b, offset) << 16) | u16(b, offset + 2);
    }

    private static long s64(byte[] b, int offset) {
        return ((long) s32(b, offset) << 32) | (s32(b, offset + 4) & 0xFFFF_FFFFL);
    }

    private static BigInteger unsigned(long value) {
        BigInteger big = BigInteger.valueOf(value);
        return value < 0 ? big.add(TWO_64) : big;
    }

    /** The low {@code length} bytes of {@code value}, big-endian. */
    static void put(byte[] b, int offset, int length, long value) {
        for (int i = length - 1; i >= 0; i--) {
            b[offset + i] = (byte) value;
            value >>>= 8;
        }
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
