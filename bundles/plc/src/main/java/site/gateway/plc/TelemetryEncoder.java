package site.gateway.plc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;

/**
 * Writes {@code telemetry} messages (protocol §3.2) without seq; the outbox adds it. Every reading
 * carries a {@code value} of the kinds §3.2 allows (a finite JSON number, boolean, string or array of
 * those): a WMS that validates strictly rejects the whole message otherwise, good readings included.
 * So a bad reading carries the tag's last good value (its quality says not to trust it), and a tag that
 * has never been read good is left out and reported by the caller. One encoder per PLC, used by its
 * single polling thread.
 */
final class TelemetryEncoder {
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Object> lastGood = new HashMap<>();

    /** The message, or null when no reading is left to send; {@code unsendable} gets the tags left out. */
    record Encoded(byte[] message, List<String> unsendable) {
    }

    Encoded encode(String tenantId, String gatewayId, String plcId, long ts, List<TagValue> readings) {
        ObjectNode node = json.createObjectNode();
        node.put("type", MessageType.TELEMETRY.wireName());
        node.put("tenantId", tenantId);
        node.put("gatewayId", gatewayId);
        node.put("plcId", plcId);
        node.put("ts", ts);
        ArrayNode items = node.putArray("readings");
        List<String> unsendable = new ArrayList<>();
        for (TagValue reading : readings) {
            boolean usable = reading.quality() != Quality.BAD && isWireValue(reading.value());
            Object value = usable ? reading.value() : lastGood.get(reading.tag());
            if (value == null) {
                unsendable.add(reading.tag());
                continue;
            }
            if (usable) {
                lastGood.put(reading.tag(), value);
            }
            ObjectNode item = items.addObject();
            item.put("tag", reading.tag());
            item.putPOJO("value", value); // serialised once, with the message (valueToTree would build a tree first)
            item.put("quality", usable ? reading.quality().wireName() : Quality.BAD.wireName());
            item.put("ts", reading.ts());
        }
        if (items.isEmpty()) {
            return new Encoded(null, unsendable);
        }
        try {
            return new Encoded(json.writeValueAsBytes(node), unsendable);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("telemetry not serialisable", e);
        }
    }

    /** A value §3.2 allows: a finite number, a boolean, a string, or a list of those. */
    static boolean isWireValue(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return true;
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(TelemetryEncoder::isWireValue);
        }
        return false;
    }
}
