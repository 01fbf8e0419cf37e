package site.gateway.support.plcdriver;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Collection;
import java.util.Map;

import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/**
 * The typed getters of PLC4X's read response ({@code getInteger(tag)}, {@code isValidFloat(tag, i)}, ...), which
 * the plc core never calls (it takes {@code getPlcValue}): they say so instead of guessing.
 *
 * <p>Over 300 lines only because PLC4X's interface has some sixty such getters, each a one-line refusal; there is
 * no logic here to split.
 */
public abstract class UnsupportedTypedGetters extends TagResults implements PlcReadResponse {

    protected UnsupportedTypedGetters(PlcReadRequest request, Map<String, PlcResponseCode> codes) {
        super(request, codes);
    }

    protected static PlcUnsupportedOperationException unsupported(String method) {
        return new PlcUnsupportedOperationException("the gateway's driver does not implement "
                + "PlcReadResponse." + method + "; use getPlcValue");
    }

    @Override
    public boolean isValidBoolean(String tag) {
        throw unsupported("isValidBoolean");
    }

    @Override
    public boolean isValidBoolean(String tag, int index) {
        throw unsupported("isValidBoolean");
    }

    @Override
    public Boolean getBoolean(String tag) {
        throw unsupported("getBoolean");
    }

    @Override
    public Boolean getBoolean(String tag, int index) {
        throw unsupported("getBoolean");
    }

    @Override
    public Collection<Boolean> getAllBooleans(String tag) {
        throw unsupported("getAllBooleans");
    }

    @Override
    public boolean isValidByte(String tag) {
        throw unsupported("isValidByte");
    }

    @Override
    public boolean isValidByte(String tag, int index) {
        throw unsupported("isValidByte");
    }

    @Override
    public Byte getByte(String tag) {
        throw unsupported("getByte");
    }

    @Override
    public Byte getByte(String tag, int index) {
        throw unsupported("getByte");
    }

    @Override
    public Collection<Byte> getAllBytes(String tag) {
        throw unsupported("getAllBytes");
    }

    @Override
    public boolean isValidShort(String tag) {
        throw unsupported("isValidShort");
    }

    @Override
    public boolean isValidShort(String tag, int index) {
        throw unsupported("isValidShort");
    }

    @Override
    public Short getShort(String tag) {
        throw unsupported("getShort");
    }

    @Override
    public Short getShort(String tag, int index) {
        throw unsupported("getShort");
    }

    @Override
    public Collection<Short> getAllShorts(String tag) {
        throw unsupported("getAllShorts");
    }

    @Override
    public boolean isValidInteger(String tag) {
        throw unsupported("isValidInteger");
    }

    @Override
    public boolean isValidInteger(String tag, int index) {
        throw unsupported("isValidInteger");
    }

    @Override
    public Integer getInteger(String tag) {
        throw unsupported("getInteger");
    }

    @Override
    public Integer getInteger(String tag, int index) {
        throw unsupported("getInteger");
    }

    @Override
    public Collection<Integer> getAllIntegers(String tag) {
        throw unsupported("getAllIntegers");
    }

    @Override
    public boolean isValidBigInteger(String tag) {
        throw unsupported("isValidBigInteger");
    }

    @Override
    public boolean isValidBigInteger(String tag, int index) {
        throw unsupported("isValidBigInteger");
    }

    @Override
    public BigInteger getBigInteger(String tag) {
        throw unsupported("getBigInteger");
    }

    @Override
    public BigInteger getBigInteger(String tag, int index) {
        throw unsupported("getBigInteger");
    }

    @Override
    public Collection<BigInteger> getAllBigIntegers(String tag) {
        throw unsupported("getAllBigIntegers");
    }

    @Override
    public boolean isValidLong(String tag) {
        throw unsupported("isValidLong");
    }

    @Override
    public boolean isValidLong(String tag, int index) {
        throw unsupported("isValidLong");
    }

    @Override
    public Long getLong(String tag) {
        throw unsupported("getLong");
    }

    @Override
    public Long getLong(String tag, int index) {
        throw unsupported("getLong");
    }

    @Override
    public Collection<Long> getAllLongs(String tag) {
        throw unsupported("getAllLongs");
    }

    @Override
    public boolean isValidFloat(String tag) {
        throw unsupported("isValidFloat");
    }

    @Override
    public boolean isValidFloat(String tag, int index) {
        throw unsupported("isValidFloat");
    }

    @Override
    public Float getFloat(String tag) {
        throw unsupported("getFloat");
    }

    @Override
    public Float getFloat(String tag, int index) {
        throw unsupported("getFloat");
    }

    @Override
    public Collection<Float> getAllFloats(String tag) {
        throw unsupported("getAllFloats");
    }

    @Override
    public boolean isValidDouble(String tag) {
        throw unsupported("isValidDouble");
    }

    @Override
    public boolean isValidDouble(String tag, int index) {
        throw unsupported("isValidDouble");
    }

    @Override
    public Double getDouble(String tag) {
        throw unsupported("getDouble");
    }

    @Override
    public Double getDouble(String tag, int index) {
        throw unsupported("getDouble");
    }

    @Override
    public Collection<Double> getAllDoubles(String tag) {
        throw unsupported("getAllDoubles");
    }

    @Override
    public boolean isValidBigDecimal(String tag) {
        throw unsupported("isValidBigDecimal");
    }

    @Override
    public boolean isValidBigDecimal(String tag, int index) {
        throw unsupported("isValidBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(String tag) {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(String tag, int index) {
        throw unsupported("getBigDecimal");
    }

    @Override
    public Collection<BigDecimal> getAllBigDecimals(String tag) {
        throw unsupported("getAllBigDecimals");
    }

    @Override
    public boolean isValidString(String tag) {
        throw unsupported("isValidString");
    }

    @Override
    public boolean isValidString(String tag, int index) {
        throw unsupported("isValidString");
    }

    @Override
    public String getString(String tag) {
        throw unsupported("getString");
    }

    @Override
    public String getString(String tag, int index) {
        throw unsupported("getString");
    }

    @Override
    public Collection<String> getAllStrings(String tag) {
        throw unsupported("getAllStrings");
    }

    @Override
    public boolean isValidTime(String tag) {
        throw unsupported("isValidTime");
    }

    @Override
    public boolean isValidTime(String tag, int index) {
        throw unsupported("isValidTime");
    }

    @Override
    public LocalTime getTime(String tag) {
        throw unsupported("getTime");
    }

    @Override
    public LocalTime getTime(String tag, int index) {
        throw unsupported("getTime");
    }

    @Override
    public Collection<LocalTime> getAllTimes(String tag) {
        throw unsupported("getAllTimes");
    }

    @Override
    public boolean isValidDate(String tag) {
        throw unsupported("isValidDate");
    }

    @Override
    public boolean isValidDate(String tag, int index) {
        throw unsupported("isValidDate");
    }

    @Override
    public LocalDate getDate(String tag) {
        throw unsupported("getDate");
    }

    @Override
    public LocalDate getDate(String tag, int index) {
        throw unsupported("getDate");
    }

    @Override
    public Collection<LocalDate> getAllDates(String tag) {
        throw unsupported("getAllDates");
    }

    @Override
    public boolean isValidDateTime(String tag) {
        throw unsupported("isValidDateTime");
    }

    @Override
    public boolean isValidDateTime(String tag, int index) {
        throw unsupported("isValidDateTime");
    }

    @Override
    public LocalDateTime getDateTime(String tag) {
        throw unsupported("getDateTime");
    }

    @Override
    public LocalDateTime getDateTime(String tag, int index) {
        throw unsupported("getDateTime");
    }

    @Override
    public Collection<LocalDateTime> getAllDateTimes(String tag) {
        throw unsupported("getAllDateTimes");
    }

}
