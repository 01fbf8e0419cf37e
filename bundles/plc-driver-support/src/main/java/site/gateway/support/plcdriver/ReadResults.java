package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;

/** What one read gave: per tag a response code and, when OK, its value (a subscription's change event is one as well). */
public class ReadResults extends UnsupportedTypedGetters {
    private final PlcReadRequest request;
    private final Map<String, PlcValue> values;

    public ReadResults(PlcReadRequest request, Map<String, PlcResponseCode> codes, Map<String, PlcValue> values) {
        super(request, codes);
        this.request = request;
        this.values = values;
    }

    @Override
    public PlcReadRequest getRequest() {
        return request;
    }

    @Override
    public PlcValue getPlcValue(String name) {
        return values.get(name);
    }

    @Override
    public PlcValue getAsPlcValue() {
        throw unsupported("getAsPlcValue");
    }

    @Override
    public int getNumberOfValues(String name) {
        PlcValue value = values.get(name);
        return value == null ? 0 : value.getLength();
    }

    @Override
    public Object getObject(String name) {
        PlcValue value = values.get(name);
        return value == null ? null : value.getObject();
    }

    @Override
    public Object getObject(String name, int index) {
        PlcValue value = values.get(name);
        return value == null ? null : value.getIndex(index).getObject();
    }

    @Override
    public Collection<Object> getAllObjects(String name) {
        PlcValue value = values.get(name);
        List<Object> all = new ArrayList<>();
        if (value != null) {
            for (PlcValue item : value.getList()) {
                all.add(item.getObject());
            }
        }
        return all;
    }
}
