package site.gateway.support.plcdriver;

import java.util.List;

import org.apache.plc4x.java.api.model.ArrayInfo;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcValueType;

/** A gateway driver's parsed tag: its address as written, its IEC type, and how many elements it holds. */
public interface DriverTag extends PlcTag {
    /** A driver's data type: one of PLC4X's value types. */
    interface Type {
        PlcValueType plcValueType();
    }

    /** A number in address {@code text}; one too large for an int is refused with the address. */
    static int number(String digits, String text) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large in '" + text + "'");
        }
    }

    /** The address as written. */
    String text();

    Type type();

    /** Elements of the tag ({@code [n]}); more than one reads as a list. */
    int elements();

    @Override
    default String getAddressString() {
        return text();
    }

    @Override
    default PlcValueType getPlcValueType() {
        return type().plcValueType();
    }

    @Override
    default List<ArrayInfo> getArrayInfo() {
        return OneDimension.of(elements());
    }
}
