package site.gateway.plc.s7;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import site.gateway.support.plcdriver.DriverTag;

/**
 * A tag address in PLC4X 0.13.1's S7 syntax: {@code %DB1.DBX0.0:BOOL}, {@code %DB1.DBW2:INT}, {@code %DB1.DBD8:REAL},
 * {@code %DB1.DBB12:STRING(20)}, the short form {@code %DB1:4:DINT}, the areas I/E, Q/A and M
 * ({@code %M10.3:BOOL}, {@code %IW4:INT}, {@code %Q0:BYTE}), and arrays ({@code %DB1:20:INT[4]}). A STRING without
 * its length is STRING(254), as in PLC4X.
 *
 * @param db     data block number (DATA_BLOCKS only, 0 otherwise)
 * @param bit    bit of the first byte (BOOL only)
 * @param count  number of elements ({@code [n]}, default 1); more than one reads as a list
 * @param length declared length of a STRING (0 otherwise)
 */
record S7Address(String text, Area area, int db, int offset, int bit, DataType type, int count, int length) implements DriverTag {
    private static final String TAIL = "(?<byte>\\d{1,7})(\\.(?<bit>[0-7]))?:(?<type>[A-Za-z_][A-Za-z0-9_]*)(\\((?<length>\\d{1,3})\\))?(\\[(?<count>\\d{1,5})])?";
    private static final Pattern DB = Pattern.compile("%DB(?<db>\\d{1,5})\\.DB(?<size>[XBWD]?)" + TAIL);
    private static final Pattern DB_SHORT = Pattern.compile("%DB(?<db>\\d{1,5}):" + TAIL);
    private static final Pattern AREA = Pattern.compile("%(?<area>[IEQAM])(?<size>[XBWD]?)" + TAIL);
    /** PLC4X types this driver does not read or write: said so when configured. */
    private static final Set<String> UNSUPPORTED = Set.of("WSTRING", "WCHAR", "TIME", "LTIME", "S5TIME", "DATE", "TIME_OF_DAY",
            "TOD", "LTIME_OF_DAY", "LTOD", "DATE_AND_TIME", "DT", "DATE_AND_LTIME", "LDT", "DTL", "RAW_BYTE_ARRAY");

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static S7Address parse(String text) {
        String address = text.trim();
        Matcher m = DB.matcher(address);
        if (m.matches()) {
            return of(text, Area.DATA_BLOCKS, m, true);
        }
        m = DB_SHORT.matcher(address);
        if (m.matches()) {
            return of(text, Area.DATA_BLOCKS, m, false);
        }
        m = AREA.matcher(address);
        if (m.matches()) {
            return of(text, Area.ofLetter(m.group("area")), m, true);
        }
        throw new IllegalArgumentException("not an S7 address of the gateway's S7 driver (e.g. %DB1.DBW2:INT, %DB1:4:DINT, %M0.1:BOOL): '"
                + text + "'");
    }

    private static S7Address of(String text, Area area, Matcher m, boolean hasSize) {
        String typeName = m.group("type").toUpperCase(java.util.Locale.ROOT);
        DataType type = DataType.named(typeName);
        if (type == null) {
            throw new IllegalArgumentException(UNSUPPORTED.contains(typeName)
                    ? "data type " + typeName + " of '" + text + "' is not supported by the gateway's S7 driver"
                    : "unknown S7 data type " + typeName + " in '" + text + "'");
        }
        int db = area == Area.DATA_BLOCKS ? DriverTag.number(m.group("db"), text) : 0;
        if (area == Area.DATA_BLOCKS && db < 1) {
            throw new IllegalArgumentException("data block number of '" + text + "' must be at least 1");
        }
        int offset = DriverTag.number(m.group("byte"), text);
        if (m.group("bit") != null && type != DataType.BOOL) {
            throw new IllegalArgumentException("'" + text + "': only a BOOL has a bit offset");
        }
        int bit = m.group("bit") == null ? 0 : Integer.parseInt(m.group("bit"));
        if (m.group("length") != null && type != DataType.STRING) {
            throw new IllegalArgumentException("'" + text + "': only a STRING has a length in parentheses");
        }
        int length = type != DataType.STRING ? 0 : m.group("length") == null ? 254 : DriverTag.number(m.group("length"), text);
        if (type == DataType.STRING && (length < 1 || length > 254)) {
            throw new IllegalArgumentException("STRING length of '" + text + "' must be 1 … 254");
        }
        int count = m.group("count") == null ? 1 : DriverTag.number(m.group("count"), text);
        if (count < 1) {
            throw new IllegalArgumentException("array size of '" + text + "' must be at least 1");
        }
        String size = hasSize ? m.group("size") : "";
        if (!size.isEmpty() && !sizeMatches(size, type)) {
            throw new IllegalArgumentException("'" + text + "': transfer size " + size + " does not match " + typeName);
        }
        return new S7Address(text, area, db, offset, bit, type, count, length);
    }

    /** PLC4X refuses e.g. DBW with DINT; STRING, CHAR arrays and 8-byte types go with any letter. */
    private static boolean sizeMatches(String size, DataType type) {
        if (type == DataType.STRING) {
            return true;
        }
        return switch (type.size(0)) {
            case 1 -> type == DataType.BOOL ? size.equals("X") : size.equals("B") || size.equals("X");
            case 2 -> size.equals("W");
            case 4 -> size.equals("D");
            default -> true;
        };
    }

    /** Bytes from {@link #offset} this tag covers (BOOLs: the bytes holding its bits). */
    int byteLength() {
        return type == DataType.BOOL ? (bit + count + 7) / 8 : count * type.size(length);
    }

    /** Where the tag lives: area and data block, for grouping reads. */
    String block() {
        return area == Area.DATA_BLOCKS ? "DB" + db : area.name();
    }

    @Override
    public int elements() {
        return count;
    }
}
