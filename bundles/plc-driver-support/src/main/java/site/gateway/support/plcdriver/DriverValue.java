package site.gateway.support.plcdriver;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import org.apache.plc4x.java.api.exceptions.PlcIncompatibleDatatypeException;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;

/**
 * A value read from a device: one number, boolean or string of a {@link PlcValueType}, or a list of them. Small on
 * purpose: PLC4X's value classes live in plc4j-spi, which would bring Netty and its company into a site that
 * only runs the gateway's drivers.
 *
 * <p>Over 300 lines only because PLC4X's {@code PlcValue} interface has some fifty accessors, each a few lines over
 * the one value held here.
 */
public final class DriverValue implements PlcValue {
    private final PlcValueType type;
    private final Object value; // Boolean, Byte, Short, Integer, Long, BigInteger, Float, Double, String; or List<DriverValue>

    private DriverValue(PlcValueType type, Object value) {
        this.type = type;
        this.value = value;
    }

    /** {@code value}: Boolean, Byte, Short, Integer, Long, BigInteger, Float, Double or String. */
    public static DriverValue of(PlcValueType type, Object value) {
        return new DriverValue(type, value);
    }

    public static DriverValue list(List<DriverValue> items) {
        return new DriverValue(PlcValueType.List, List.copyOf(items));
    }

    /** The {@code count} elements of a tag, {@code element(k)} the k-th: one value as it is, several as a list. */
    public static DriverValue of(PlcValueType type, int count, IntFunction<Object> element) {
        List<DriverValue> items = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            items.add(of(type, element.apply(k)));
        }
        return items.size() == 1 ? items.get(0) : list(items);
    }

    @Override
    public PlcValueType getPlcValueType() {
        return type;
    }

    @Override
    public Object getObject() {
        return value;
    }

    @Override
    public boolean isSimple() {
        return !isList();
    }

    @Override
    public boolean isNullable() {
        return false;
    }

    @Override
    public boolean isNull() {
        return false;
    }

    @Override
    public boolean is(Class<?> clazz) {
        return clazz.isInstance(value);
    }

    @Override
    public boolean isConvertibleTo(Class<?> clazz) {
        return is(clazz);
    }

    @Override
    public <T> T get(Class<T> clazz) {
        if (!is(clazz)) {
            throw new PlcIncompatibleDatatypeException(clazz);
        }
        return clazz.cast(value);
    }

    @Override
    public boolean isBoolean() {
        return value instanceof Boolean;
    }

    @Override
    public boolean getBoolean() {
        if (value instanceof Boolean b) {
            return b;
        }
        return number().longValue() != 0;
    }

    @Override
    public boolean isByte() {
        return fits(Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    @Override
    public byte getByte() {
        return number().byteValue();
    }

    @Override
    public boolean isShort() {
        return fits(Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Override
    public short getShort() {
        return number().shortValue();
    }

    @Override
    public boolean isInteger() {
        return fits(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public int getInteger() {
        return number().intValue();
    }

    @Override
    public int getInt() {
        return getInteger();
    }

    @Override
    public boolean isLong() {
        return fits(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public long getLong() {
        return number().longValue();
    }

    @Override
    public boolean isBigInteger() {
        return isNumber() && !(value instanceof Float) && !(value instanceof Double);
    }

    @Override
    public BigInteger getBigInteger() {
        return value instanceof BigInteger big ? big : BigInteger.valueOf(number().longValue());
    }

    @Override
    public boolean isFloat() {
        return isNumber();
    }

    @Override
    public float getFloat() {
        return number().floatValue();
    }

    @Override
    public boolean isDouble() {
        return isNumber();
    }

    @Override
    public double getDouble() {
        return number().doubleValue();
    }

    @Override
    public boolean isBigDecimal() {
        return isNumber();
    }

    @Override
    public BigDecimal getBigDecimal() {
        return value instanceof BigInteger big ? new BigDecimal(big) : new BigDecimal(number().toString());
    }

    @Override
    public boolean isString() {
        return true;
    }

    @Override
    public String getString() {
        return String.valueOf(value);
    }

    @Override
    public boolean isDuration() {
        return false;
    }

    @Override
    public Duration getDuration() {
        throw new PlcIncompatibleDatatypeException(Duration.class);
    }

    @Override
    public boolean isTime() {
        return false;
    }

    @Override
    public LocalTime getTime() {
        throw new PlcIncompatibleDatatypeException(LocalTime.class);
    }

    @Override
    public boolean isDate() {
        return false;
    }

    @Override
    public LocalDate getDate() {
        throw new PlcIncompatibleDatatypeException(LocalDate.class);
    }

    @Override
    public boolean isDateTime() {
        return false;
    }

    @Override
    public LocalDateTime getDateTime() {
        throw new PlcIncompatibleDatatypeException(LocalDateTime.class);
    }

    @Override
    public byte[] getRaw() {
        throw new PlcIncompatibleDatatypeException(byte[].class);
    }

    @Override
    public boolean isList() {
        return type == PlcValueType.List;
    }

    @Override
    public int getLength() {
        return isList() ? getList().size() : 1;
    }

    @Override
    public PlcValue getIndex(int i) {
        return getList().get(i);
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<DriverValue> getList() {
        if (!isList()) {
            return List.of(this);
        }
        return (List<DriverValue>) value;
    }

    @Override
    public boolean isStruct() {
        return false;
    }

    @Override
    public Set<String> getKeys() {
        return Set.of();
    }

    @Override
    public boolean hasKey(String key) {
        return false;
    }

    @Override
    public PlcValue getValue(String key) {
        throw new PlcIncompatibleDatatypeException(Map.class);
    }

    @Override
    public Map<String, ? extends PlcValue> getStruct() {
        throw new PlcIncompatibleDatatypeException(Map.class);
    }

    @Override
    public Set<String> getMetaDataNames() {
        return Set.of();
    }

    @Override
    public boolean hasMetaData(String key) {
        return false;
    }

    @Override
    public PlcValue getMetaData(String key) {
        return null;
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }

    private boolean isNumber() {
        return value instanceof Number;
    }

    private Number number() {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new PlcIncompatibleDatatypeException(Number.class);
    }

    private boolean fits(long min, long max) {
        if (value instanceof Float || value instanceof Double || !isNumber()) {
            return false;
        }
        BigInteger big = getBigInteger();
        return big.compareTo(BigInteger.valueOf(min)) >= 0 && big.compareTo(BigInteger.valueOf(max)) <= 0;
    }
}
