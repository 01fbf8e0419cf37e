package site.gateway.ctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page's facts for machines: labels as camelCase keys ("WMS session" → {@code wmsSession},
 * "Connected since" → {@code connectedSince}), whole and decimal numbers as numbers, "-" and "null" as null.
 */
final class StatusJson {
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

    private StatusJson() {
    }

    static Map<String, Object> of(Map<String, Object> sections) {
        Map<String, Object> json = new LinkedHashMap<>();
        sections.forEach((title, value) -> json.put(key(title), convert(value)));
        return json;
    }

    private static Object convert(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(key((String) k), convert(v)));
            return result;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(StatusJson::convert).toList();
        }
        String text = (String) value;
        if (text.equals("-") || text.equals("null")) {
            return null;
        }
        if (WHOLE.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        return text;
    }

    static String key(String label) {
        StringBuilder b = new StringBuilder();
        for (String word : label.split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            b.append(b.length() == 0 ? word.toLowerCase() : Character.toUpperCase(word.charAt(0)) + word.substring(1).toLowerCase());
        }
        return b.toString();
    }
}
