package site.gateway.plc.opcua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import site.gateway.support.plcdriver.DriverValue;
import site.gateway.support.plcdriver.TagReadRequest;

/**
 * Reads one request's tags with one Read service call (the Value attribute of every node, no timestamps, max age 0).
 * The list of nodes is made once per request; the plc core builds its poll request once per connection.
 */
final class OpcuaReader implements TagReadRequest.Reader {
    private final OpcuaConnection connection;
    private final List<String> names;
    private final List<OpcuaTag> tags;
    private final List<ReadValueId> nodes;
    private final ReadValueId[] request;

    OpcuaReader(OpcuaConnection connection, Map<String, OpcuaTag> tags) {
        this.connection = connection;
        this.names = List.copyOf(tags.keySet());
        this.tags = List.copyOf(tags.values());
        List<ReadValueId> ids = new ArrayList<>(tags.size());
        for (OpcuaTag tag : this.tags) {
            ids.add(new ReadValueId(tag.nodeId(), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
        }
        this.nodes = List.copyOf(ids);
        this.request = ids.toArray(new ReadValueId[0]);
    }

    /** The nodes one poll reads, in the request's order (for tests). */
    List<ReadValueId> nodes() {
        return nodes;
    }

    @Override
    public TagReadRequest.Results read(long timeoutMs) throws Exception {
        ReadResponse response = connection.direct(session -> session.read(request, timeoutMs), "Read");
        DataValue[] results = response.getResults();
        if (results == null || results.length != nodes.size()) {
            connection.lost("Read answered " + (results == null ? 0 : results.length) + " results for " + nodes.size() + " nodes");
            throw new java.io.IOException("OPC UA Read answered " + (results == null ? 0 : results.length) + " results for "
                    + nodes.size() + " nodes");
        }
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        Map<String, PlcValue> values = new LinkedHashMap<>();
        for (int i = 0; i < results.length; i++) {
            read(connection, names.get(i), tags.get(i), results[i], codes, values);
        }
        return new TagReadRequest.Results(codes, values);
    }

    /** One node's result into the maps; a status other than Good, or a value not offered, is logged once. */
    static void read(OpcuaConnection connection, String name, OpcuaTag tag, DataValue result, Map<String, PlcResponseCode> codes,
            Map<String, PlcValue> values) {
        PlcResponseCode code = Codes.of(result.getStatusCode());
        if (code != PlcResponseCode.OK) {
            codes.put(name, code);
            connection.reportOnce(tag, "the server answered " + Codes.describe(result.getStatusCode()));
            return;
        }
        DriverValue value = ReadValues.of(result.getValue());
        if (value == null) {
            codes.put(name, PlcResponseCode.INVALID_DATATYPE);
            Object raw = result.getValue() == null ? null : result.getValue().getValue();
            connection.reportOnce(tag, raw == null ? "the server answered no value" : "values of type "
                    + raw.getClass().getSimpleName() + " are not offered by the gateway's OPC UA driver");
            return;
        }
        codes.put(name, code);
        values.put(name, value);
    }
}
