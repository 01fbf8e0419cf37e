package site.gateway.plc.opcua;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.TagWriteRequest;

/**
 * The OPC UA part of a write: one Write service call for all items, each value as the built-in type its tag's type
 * names ({@link WriteType}); a value is checked when the request is built, so nothing is sent for one the tag cannot
 * take. The server's refusal of a node (Bad_TypeMismatch, Bad_NotWritable, ...) is that tag's code, logged.
 */
final class OpcuaWrites {
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaWrites.class);
    private static final byte[] NOTHING = new byte[0];

    private OpcuaWrites() {
    }

    /** Checks the values (the variant is made again when sent); OPC UA has no payload bytes of its own here. */
    static byte[] payload(OpcuaTag tag, Object[] values) {
        type(tag).variant(values);
        return NOTHING;
    }

    private static WriteType type(OpcuaTag tag) {
        if (tag.type() == null) {
            throw new IllegalArgumentException("'" + tag.text() + "' names no type after its last ';' (e.g. ;INT): "
                    + "the gateway's OPC UA driver needs it to write");
        }
        return tag.type();
    }

    static Map<String, PlcResponseCode> write(OpcuaConnection connection, List<TagWriteRequest.Item<OpcuaTag>> items,
            long timeoutMs) throws Exception {
        List<WriteValue> writes = new ArrayList<>(items.size());
        for (TagWriteRequest.Item<OpcuaTag> item : items) {
            writes.add(new WriteValue(item.address().nodeId(), AttributeId.Value.uid(), null,
                    new DataValue(type(item.address()).variant(item.values()), null, null)));
        }
        WriteValue[] request = writes.toArray(new WriteValue[0]);
        WriteResponse response = connection.direct(session -> session.write(request, timeoutMs), "Write");
        StatusCode[] results = response.getResults();
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            TagWriteRequest.Item<OpcuaTag> item = items.get(i);
            StatusCode status = results != null && i < results.length ? results[i] : StatusCode.BAD;
            PlcResponseCode code = Codes.of(status);
            codes.put(item.name(), code);
            if (code != PlcResponseCode.OK) {
                LOG.warn("OPC UA {}: write of '{}' refused: {}", connection.settings().peer(), item.address().text(),
                        Codes.describe(status));
            }
        }
        return codes;
    }
}
