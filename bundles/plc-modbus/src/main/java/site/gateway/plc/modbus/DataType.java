package site.gateway.plc.modbus;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.apache.plc4x.java.api.types.PlcValueType;

/**
 * The register data types of PLC4X's Modbus driver this driver reads and writes, with the Java type PLC4X's
 * value classes carry for each (INT a Short, UDINT a Long, ...), so telemetry is the same with either driver.
 * One-byte types and BOOL sit in the low byte / lowest bit of their register, as in PLC4X.
 */
enum DataType {
    BOOL(1), BYTE(1), WORD(1), DWORD(2), LWORD(4),
    SINT(1), INT(1), DINT(2), LINT(4),
    USINT(1), UINT(1), UDINT(2), ULINT(4),
    REAL(2), LREAL(4);

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Registers one element takes. */
    final int registers;

    DataType(int registers) {
        this.registers = registers;
    }

    PlcValueType plcValueType() {
        return PlcValueType.valueOf(name());
    }

    /** The element at {@code offset} (big-endian, {@code 2 * registers} bytes). */
    Object decode(byte[] b, int offset) {
        return switch (this) {
            case BOOL -> (b[offset + 1] & 1) != 0;
            case SINT -> b[offset + 1];
            case BYTE, USINT -> (short) (b[offset + 1] & 0xFF);
            case INT -> (short) u16(b, offset);
            case WORD, UINT -> u16(b, offset);
            case DINT -> s32(b, offset);
            case DWORD, UDINT -> s32(b, offset) & 0xFFFF_FFFFL;
            case REAL -> Float.intBitsToFloat(s32(b, offset));
            case LINT -> s64(b, offset);
            case LWORD, ULINT -> unsigned(s64(b, offset));
            case LREAL -> Double.longBitsToDouble(s64(b, offset));
        };
    }

    /**
     * Writes {@code value} big-endian at {@code offset}; refuses what the type cannot hold exactly.
     *
     * @throws IllegalArgumentException with the reason
     */
    void encode(Object value, byte[] b, int offset) {
        if (this == BOOL) {
            put(b, offset, 2, toBoolean(value) ? 1 : 0);
            return;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(name() + " needs a number, not " + describe(value));
        }
        switch (this) {
            case REAL -> put(b, offset, 4, Float.floatToIntBits(number.floatValue()));
            case LREAL -> put(b, offset, 8, Double.doubleToLongBits(number.doubleValue()));
            case LWORD, ULINT -> put(b, offset, 8, integral(number, BigInteger.ZERO, TWO_64.subtract(BigInteger.ONE)).longValue());
            default -> put(b, offset, 2 * registers, integral(number, BigInteger.valueOf(min()), BigInteger.valueOf(max())).longValue());
        }
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
