package site.gateway.plc;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;

/** Writes {@code telemetry} messages (protocol §3.2) without seq; the outbox adds it. */
final class TelemetryEncoder {
    private final ObjectMapper json = new ObjectMapper();

    byte[] encode(String tenantId, String gatewayId, String plcId, long ts, List<TagValue> readings) {
        ObjectNode node = json.createObjectNode();
        node.put("type", MessageType.TELEMETRY.wireName());
        node.put("tenantId", tenantId);
        node.put("gatewayId", gatewayId);
        node.put("plcId", plcId);
        node.put("ts", ts);
        ArrayNode items = node.putArray("readings");
        for (TagValue reading : readings) {
            ObjectNode item = items.addObject();
            item.put("tag", reading.tag());
            // A bad reading has no trustworthy value: "value" is left out rather than sent as null.
            if (reading.value() != null && reading.quality() != Quality.BAD) {
                item.set("value", json.valueToTree(reading.value()));
            }
            item.put("quality", reading.quality().wireName());
            item.put("ts", reading.ts());
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("telemetry not serialisable", e);
        }
    }
}
