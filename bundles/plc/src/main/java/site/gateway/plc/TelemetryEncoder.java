package site.gateway.plc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    /** An ObjectMapper's factory: its generators can write any value (lists too) with writeObject. */
    private final JsonFactory json = new ObjectMapper().getFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private final Map<String, Object> lastGood = new HashMap<>();

    /** The message, or null when no reading is left to send; {@code unsendable} gets the tags left out. */
    record Encoded(byte[] message, List<String> unsendable) {
    }

    Encoded encode(String tenantId, String gatewayId, String plcId, long ts, List<TagValue> readings) {
        List<TagValue> send = new ArrayList<>(readings.size());
        List<Object> values = new ArrayList<>(readings.size());
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
            send.add(usable ? reading : new TagValue(reading.tag(), value, Quality.BAD, reading.ts()));
            values.add(value);
        }
        if (send.isEmpty()) {
            return new Encoded(null, unsendable);
        }
        // Streamed straight to bytes: a tree of nodes per message cost as much CPU as the PLC read itself.
        buffer.reset();
        try (JsonGenerator out = json.createGenerator(buffer)) {
            out.writeStartObject();
            out.writeStringField("type", MessageType.TELEMETRY.wireName());
            out.writeStringField("tenantId", tenantId);
            out.writeStringField("gatewayId", gatewayId);
            out.writeStringField("plcId", plcId);
            out.writeNumberField("ts", ts);
            out.writeArrayFieldStart("readings");
            for (int i = 0; i < send.size(); i++) {
                TagValue reading = send.get(i);
                out.writeStartObject();
                out.writeStringField("tag", reading.tag());
                out.writeFieldName("value");
                out.writeObject(values.get(i));
                out.writeStringField("quality", reading.quality().wireName());
                out.writeNumberField("ts", reading.ts());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("telemetry not serialisable", e);
        }
        return new Encoded(buffer.toByteArray(), unsendable);
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
