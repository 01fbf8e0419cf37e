package site.gateway.support.plcdriver;

import java.math.BigInteger;

import org.apache.plc4x.java.api.types.PlcValueType;

/** Big-endian numbers in byte arrays, as Modbus registers and S7 memory hold them. */
public final class BigEndian {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private BigEndian() {
    }

    public static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    public static int s32(byte[] b, int offset) {
        return (u16(b, offset) << 16) | u16(b, offset + 2);
    }

    public static long s64(byte[] b, int offset) {
        return ((long) s32(b, offset) << 32) | (s32(b, offset + 4) & 0xFFFF_FFFFL);
    }

    /**
     * The number of 2, 4 or 8 bytes at {@code offset} as a value of IEC type {@code type} carries it: INT, WORD, UINT,
     * DINT, DWORD, UDINT, REAL, LINT, LWORD, ULINT or LREAL.
     */
    public static Object number(PlcValueType type, byte[] b, int offset) {
        return switch (type) {
            case INT -> (short) u16(b, offset);
            case WORD, UINT -> u16(b, offset);
            case DINT -> s32(b, offset);
            case DWORD, UDINT -> s32(b, offset) & 0xFFFF_FFFFL;
            case REAL -> Float.intBitsToFloat(s32(b, offset));
            case LINT -> s64(b, offset);
            case LWORD, ULINT -> unsigned(s64(b, offset));
            case LREAL -> Double.longBitsToDouble(s64(b, offset));
            default -> throw new IllegalArgumentException("not a number of 2 to 8 bytes: " + type);
        };
    }

    /** {@code value}'s 64 bits read as an unsigned number. */
    public static BigInteger unsigned(long value) {
        BigInteger big = BigInteger.valueOf(value);
        return value < 0 ? big.add(TWO_64) : big;
    }

    /** The low {@code length} bytes of {@code value}, big-endian. */
    public static void put(byte[] b, int offset, int length, long value) {
        for (int i = length - 1; i >= 0; i--) {
            b[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
