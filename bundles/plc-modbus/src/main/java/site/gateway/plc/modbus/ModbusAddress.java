package site.gateway.plc.modbus;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import site.gateway.support.plcdriver.DriverTag;

/**
 * A tag address in PLC4X 0.13.1's Modbus syntax: {@code holding-register:1:INT}, {@code 4x00001:REAL[4]},
 * {@code 400001}, {@code coil:3}, {@code discrete-input:2}, {@code input-register:10:UINT}. Addresses are
 * 1-based as in PLC4X; {@link #offset} is the 0-based protocol address.
 *
 * @param offset   protocol address of the first element (address - 1)
 * @param quantity number of elements ({@code [n]}, default 1); more than one reads as a list
 */
record ModbusAddress(String text, Area area, int offset, DataType type, int quantity) implements DriverTag {
    private static final String LONG_FORM = "(?<address>\\d+)(:(?<datatype>[a-zA-Z_]+))?(\\[(?<quantity>\\d+)])?";
    private static final String FIXED_DIGITS = "(?<address>\\d{4,5})(:(?<datatype>[a-zA-Z_]+))?(\\[(?<quantity>\\d+)])?";
    private static final int MAX_ADDRESS = 65535;

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ModbusAddress parse(String text) {
        String address = text.trim();
        for (Area area : Area.values()) {
            for (Pattern pattern : patterns(area)) {
                Matcher m = pattern.matcher(address);
                if (m.matches()) {
                    return of(text, area, m);
                }
            }
        }
        throw new IllegalArgumentException("not a Modbus address: '" + text + "'");
    }

    private static List<Pattern> patterns(Area area) {
        return PATTERNS.get(area.ordinal());
    }

    private static final List<List<Pattern>> PATTERNS = java.util.Arrays.stream(Area.values())
            .map(a -> List.of(Pattern.compile(Pattern.quote(a.prefix) + LONG_FORM),
                    Pattern.compile(a.digit + "x" + FIXED_DIGITS), Pattern.compile(a.digit + FIXED_DIGITS)))
            .toList();

    private static ModbusAddress of(String text, Area area, Matcher m) {
        int address = DriverTag.number(m.group("address"), text);
        int quantity = m.group("quantity") == null ? 1 : DriverTag.number(m.group("quantity"), text);
        String typeName = m.group("datatype");
        DataType type = typeName == null ? (area.bits ? DataType.BOOL : DataType.INT) : DataType.named(typeName);
        if (type == null) {
            throw new IllegalArgumentException("data type " + typeName + " of '" + text + "' is not supported by this driver");
        }
        if (area.bits && type != DataType.BOOL) {
            throw new IllegalArgumentException(area.prefix + " holds bits: only BOOL, not " + typeName + " ('" + text + "')");
        }
        if (address < 1 || address > MAX_ADDRESS) {
            throw new IllegalArgumentException("address of '" + text + "' must be 1 … 65535");
        }
        if (quantity < 1) {
            throw new IllegalArgumentException("quantity of '" + text + "' must be at least 1");
        }
        int units = area.bits ? quantity : quantity * type.registers;
        if (units > area.protocolLimit()) {
            throw new IllegalArgumentException("'" + text + "' spans " + units + (area.bits ? " bits" : " registers")
                    + ", more than one Modbus request carries (" + area.protocolLimit() + ")");
        }
        if (address - 1 + units > MAX_ADDRESS) { // PLC4X's 1-based addresses end at 65535
            throw new IllegalArgumentException("'" + text + "' ends beyond address 65535");
        }
        return new ModbusAddress(text, area, address - 1, type, quantity);
    }

    /** Registers (or bits) this tag reads. */
    int units() {
        return area.bits ? quantity : quantity * type.registers;
    }

    @Override
    public int elements() {
        return quantity;
    }
}
