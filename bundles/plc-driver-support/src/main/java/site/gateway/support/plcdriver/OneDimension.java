package site.gateway.support.plcdriver;

import java.util.List;

import org.apache.plc4x.java.api.model.ArrayInfo;

/** One array dimension of {@code getSize} elements, 0-based like PLC4X's. */
public record OneDimension(int getSize) implements ArrayInfo {
    /** PLC4X's array info of a tag of {@code count} elements: none for one. */
    public static List<ArrayInfo> of(int count) {
        return count == 1 ? List.of() : List.of(new OneDimension(count));
    }

    @Override
    public int getLowerBound() {
        return 0;
    }

    @Override
    public int getUpperBound() {
        return getSize - 1;
    }
}
