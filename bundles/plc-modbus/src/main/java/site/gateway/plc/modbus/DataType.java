package site.gateway.plc.modbus;

import java.math.BigInteger;

import org.apache.plc4x.java.api.types.PlcValueType;

import site.gateway.support.plcdriver.BigEndian;
import site.gateway.support.plcdriver.DriverTag;
import site.gateway.support.plcdriver.ExactValues;

/**
 * The register data types of PLC4X's Modbus driver this driver reads and writes, with the Java type PLC4X's
 * value classes carry for each (INT a Short, UDINT a Long, ...), so telemetry is the same with either driver.
 * One-byte types and BOOL sit in the low byte / lowest bit of their register, as in PLC4X.
 */
enum DataType implements DriverTag.Type {
    BOOL(1), BYTE(1), WORD(1), DWORD(2), LWORD(4),
    SINT(1), INT(1), DINT(2), LINT(4),
    USINT(1), UINT(1), UDINT(2), ULINT(4),
    REAL(2), LREAL(4);

    /** Registers one element takes. */
    final int registers;

    DataType(int registers) {
        this.registers = registers;
    }

    @Override
    public PlcValueType plcValueType() {
        return PlcValueType.valueOf(name());
    }

    /** The element at {@code offset} (big-endian, {@code 2 * registers} bytes). */
    Object decode(byte[] b, int offset) {
        return switch (this) {
            case BOOL -> (b[offset + 1] & 1) != 0;
            case SINT -> b[offset + 1];
            case BYTE, USINT -> (short) (b[offset + 1] & 0xFF);
            default -> BigEndian.number(plcValueType(), b, offset);
        };
    }

    /**
     * Writes {@code value} big-endian at {@code offset}; refuses what the type cannot hold exactly.
     *
     * @throws IllegalArgumentException with the reason
     */
    void encode(Object value, byte[] b, int offset) {
        if (this == BOOL) {
            BigEndian.put(b, offset, 2, ExactValues.toBoolean(value) ? 1 : 0);
            return;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException(name() + " needs a number, not " + ExactValues.describe(value));
        }
        switch (this) {
            case REAL -> BigEndian.put(b, offset, 4, Float.floatToIntBits(number.floatValue()));
            case LREAL -> BigEndian.put(b, offset, 8, Double.doubleToLongBits(number.doubleValue()));
            case LWORD, ULINT -> BigEndian.put(b, offset, 8, ExactValues.whole(name(), number, BigInteger.ZERO, ExactValues.ULINT_MAX).longValue());
            default -> BigEndian.put(b, offset, 2 * registers, ExactValues.whole(name(), number));
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
