package site.gateway.support.plcdriver;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What a value to write must be for an IEC 61131 type of PLC4X's names (SINT, INT, UDINT, ...): a whole number in
 * the type's range, or a boolean; refused with the reason otherwise, never rounded or cut.
 */
public final class ExactValues {
    public static final BigInteger ULINT_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ExactValues() {
    }

    /** Smallest value of the integer type {@code type} (0 for the unsigned ones). */
    public static long min(String type) {
        return switch (type) {
            case "SINT" -> Byte.MIN_VALUE;
            case "INT" -> Short.MIN_VALUE;
            case "DINT" -> Integer.MIN_VALUE;
            case "LINT" -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** Largest value of the integer type {@code type} up to LINT (LWORD/ULINT: {@link #ULINT_MAX}). */
    public static long max(String type) {
        return switch (type) {
            case "SINT" -> Byte.MAX_VALUE;
            case "BYTE", "USINT" -> 0xFF;
            case "INT" -> Short.MAX_VALUE;
            case "WORD", "UINT" -> 0xFFFF;
            case "DINT" -> Integer.MAX_VALUE;
            case "DWORD", "UDINT" -> 0xFFFF_FFFFL;
            default -> Long.MAX_VALUE;
        };
    }

    /**
     * {@code number} as a whole number within {@code min … max}.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static BigInteger whole(String type, Number number, BigInteger min, BigInteger max) {
        BigInteger exact;
        try {
            exact = number instanceof BigInteger big ? big : new BigDecimal(number.toString()).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(type + " needs a whole number, not " + number);
        }
        if (exact.compareTo(min) < 0 || exact.compareTo(max) > 0) {
            throw new IllegalArgumentException(number + " is outside the range of " + type + " (" + min + " … " + max + ")");
        }
        return exact;
    }

    /** {@code value} within the range of the integer type {@code type} (not LWORD/ULINT). */
    public static long whole(String type, Number number) {
        return whole(type, number, BigInteger.valueOf(min(type)), BigInteger.valueOf(max(type))).longValue();
    }

    public static boolean toBoolean(Object value) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        throw new IllegalArgumentException("BOOL needs true/false (or 0/1), not " + describe(value));
    }

    /** A value's type and text, for messages. */
    public static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
