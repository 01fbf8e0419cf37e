package site.gateway.commands;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.plc.TagWrite;
import site.gateway.api.plc.WritableTag;

/**
 * Checks a kind's payload and turns it into an {@link Action}; any problem is {@code invalid-payload}.
 * It runs twice (§3.6 puts invalid-payload first): on the shape alone, with {@code null} for the
 * configured tags or allow-list, before any other check; then against this gateway's configuration,
 * once the target PLC and kind are known.
 */
final class PayloadValidator {
    static final String GATEWAY = "gateway";
    private static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final BigInteger MAX_SAFE_INTEGER = BigInteger.ONE.shiftLeft(53);

    private PayloadValidator() {
    }

    /**
     * @param writable the tags commands may write with their ranges, or null when the PLC is not known yet
     */
    static Action writes(JsonNode payload, Set<String> configuredTags, Map<String, WritableTag> writable) throws Rejection {
        JsonNode writes = nonEmptyArray(payload, "writes");
        List<TagWrite> result = new ArrayList<>(writes.size());
        for (JsonNode write : writes) {
            if (!write.isObject()) {
                throw invalid("each write must be an object");
            }
            String tag = configuredTag(write.get("tag"), configuredTags);
            JsonNode value = write.get("value");
            if (value == null) {
                throw invalid("write to " + tag + " has no value");
            }
            Object tagValue = tagValue(value, tag);
            if (writable != null) {
                WritableTag rule = writable.get(tag);
                if (rule == null) {
                    throw invalid("tag " + tag + " is not writable (writable." + tag + " is not true on this gateway)");
                }
                java.util.Optional<String> refused = rule.refusal(tagValue);
                if (refused.isPresent()) {
                    throw invalid(refused.get());
                }
            }
            result.add(new TagWrite(tag, tagValue));
        }
        return new Action.Writes(List.copyOf(result));
    }

    static Action reads(JsonNode payload, Set<String> configuredTags) throws Rejection {
        JsonNode reads = nonEmptyArray(payload, "reads");
        List<String> tags = new ArrayList<>(reads.size());
        for (JsonNode tag : reads) {
            tags.add(configuredTag(tag, configuredTags));
        }
        return new Action.Reads(List.copyOf(tags));
    }

    static Action gatewayConfig(JsonNode payload, Set<String> allowList) throws Rejection {
        JsonNode pid = payload.get("pid");
        if (pid == null || !pid.isTextual() || pid.textValue().isBlank()) {
            throw invalid("payload.pid missing");
        }
        if (allowList != null && !allowList.contains(pid.textValue())) {
            throw invalid("PID " + pid.textValue() + " is not on configAllowList");
        }
        JsonNode properties = payload.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            throw invalid("payload.properties missing or empty");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            String key = property.getKey();
            if (!PROPERTY_KEY.matcher(key).matches() || key.startsWith("service.") || key.startsWith("felix.")
                    || key.startsWith("component.")) {
                throw invalid("property name not allowed: " + key);
            }
            java.util.Optional<String> protectedKey = ProtectedKeys.why(pid.textValue(), key);
            if (protectedKey.isPresent()) {
                throw invalid(protectedKey.get() + "; no command may change it");
            }
            values.put(key, propertyValue(property.getValue(), key));
        }
        return new Action.GatewayConfig(pid.textValue(), values);
    }

    private static JsonNode nonEmptyArray(JsonNode payload, String field) throws Rejection {
        JsonNode array = payload.get(field);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw invalid("payload." + field + " missing or empty");
        }
        return array;
    }

    private static String configuredTag(JsonNode tag, Set<String> configuredTags) throws Rejection {
        if (tag == null || !tag.isTextual()) {
            throw invalid("tag missing or not a string");
        }
        if (configuredTags != null && !configuredTags.contains(tag.textValue())) {
            throw invalid("tag not configured for this PLC: " + tag.textValue());
        }
        return tag.textValue();
    }

    /** Number, boolean, string, or an array of those (§3.2). */
    private static Object tagValue(JsonNode value, String tag) throws Rejection {
        if (value.isArray()) {
            List<Object> items = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                if (item.isArray()) {
                    throw invalid("nested arrays are not tag values: " + tag);
                }
                items.add(tagValue(item, tag));
            }
            return List.copyOf(items);
        }
        return scalar(value, tag);
    }

    /** Strings, numbers, booleans or arrays of strings (§3.6); arrays become String[] for Config Admin. */
    private static Object propertyValue(JsonNode value, String key) throws Rejection {
        if (value.isArray()) {
            String[] items = new String[value.size()];
            for (int i = 0; i < items.length; i++) {
                if (!value.get(i).isTextual()) {
                    throw invalid("arrays in properties must hold strings: " + key);
                }
                items[i] = value.get(i).textValue();
            }
            return items;
        }
        return scalar(value, key);
    }

    private static Object scalar(JsonNode value, String name) throws Rejection {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return number(value, name);
        }
        throw invalid("value of " + name + " must be a number, boolean or string");
    }

    /** Integers (at most 2^53 in magnitude, as the protocol allows) become Long, other numbers Double. */
    private static Number number(JsonNode value, String name) throws Rejection {
        if (value.isIntegralNumber()) {
            if (value.bigIntegerValue().abs().compareTo(MAX_SAFE_INTEGER) > 0) {
                throw invalid("integer beyond 2^53 in " + name);
            }
            return value.longValue();
        }
        double d = value.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER.doubleValue()) {
            return (long) d;
        }
        return d;
    }

    private static Rejection invalid(String detail) {
        return new Rejection(Reason.INVALID_PAYLOAD, detail);
    }
}
