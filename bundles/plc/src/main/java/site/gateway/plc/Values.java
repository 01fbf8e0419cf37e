package site.gateway.plc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;

import site.gateway.api.plc.Quality;

/** Converts between PLC4X values and the JSON-friendly values of the API (Number, Boolean, String, List). */
final class Values {
    private Values() {
    }

    static Quality quality(PlcResponseCode code) {
        if (code == null) {
            return Quality.BAD;
        }
        return switch (code) {
            case OK -> Quality.GOOD;
            // The device answered but could not serve fresh data right now.
            case REMOTE_BUSY, RESPONSE_PENDING -> Quality.UNCERTAIN;
            default -> Quality.BAD;
        };
    }

    /** A JSON-friendly value, or null if there is none. */
    static Object toJava(PlcValue value) {
        if (value == null || value.isNull()) {
            return null;
        }
        PlcValueType type = value.getPlcValueType();
        if (type == PlcValueType.List) {
            List<Object> out = new ArrayList<>(value.getLength());
            for (PlcValue item : value.getList()) {
                out.add(toJava(item));
            }
            return out;
        }
        if (type == PlcValueType.BOOL) {
            return value.getBoolean();
        }
        if (type == PlcValueType.Struct) {
            Map<String, Object> out = new LinkedHashMap<>();
            value.getStruct().forEach((k, v) -> out.put(k, toJava(v)));
            return out;
        }
        // Numeric PLC4X values also claim isBoolean(); go by the Java object they carry instead.
        Object raw = value.getObject();
        if (raw instanceof Number || raw instanceof Boolean || raw instanceof String) {
            return raw;
        }
        if (raw instanceof Character c) {
            return c.toString();
        }
        return raw == null ? null : raw.toString();
    }

    /** What to hand to PLC4X for a write: integral doubles become longs so integer tags accept them. */
    static Object toPlc(Object value) {
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                return (long) d;
            }
            return d;
        }
        if (value instanceof BigInteger b) {
            return b.longValueExact();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        throw new IllegalArgumentException("unsupported value type " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
}
