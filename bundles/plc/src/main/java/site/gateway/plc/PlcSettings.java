package site.gateway.plc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A validated, immutable PLC configuration. {@link #parse} throws {@link IllegalArgumentException} with a clear message. */
record PlcSettings(String plcId, String connection, String driverCode, boolean enabled, long pollIntervalMs,
        Map<String, TagSpec> tags, long requestTimeoutMs, Backoff.Policy backoff, boolean subscribe) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final List<String> PER_TAG_PREFIXES = List.of("deadband.", "reportOnChange.", "writable.", "min.", "max.");
    private static final Pattern SCHEME = Pattern.compile("([a-z0-9][a-z0-9-]*):.*", Pattern.DOTALL);

    PlcSettings {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    static PlcSettings parse(PlcConfig config, Map<String, ?> raw) {
        String plcId = config.plcId();
        if (plcId == null || !ID.matcher(plcId).matches()) {
            throw new IllegalArgumentException("plcId must match [A-Za-z0-9._-]{1,64}, got '" + plcId + "'");
        }
        String connection = config.connection() == null ? "" : config.connection().trim();
        var scheme = SCHEME.matcher(connection);
        if (!scheme.matches()) {
            throw new IllegalArgumentException("connection must be a PLC4X connection string such as "
                    + "modbus-tcp://host:502, got '" + connection + "'");
        }
        OpcuaSecurityRule.check(scheme.group(1), connection);
        long poll = range("pollIntervalMs", config.pollIntervalMs(), 10, 3_600_000);
        long timeout = range("requestTimeoutMs", config.requestTimeoutMs(), 50, 600_000);
        long first = range("backoffInitialMs", config.backoffInitialMs(), 1, 3_600_000);
        long max = range("backoffMaxMs", config.backoffMaxMs(), first, 3_600_000);
        double factor = config.backoffFactor();
        if (!(factor >= 1.0 && factor <= 10.0)) {
            throw new IllegalArgumentException("backoffFactor must be between 1 and 10, got " + factor);
        }
        Map<String, TagSpec> tags = parseTags(config.tags(), config.reportOnChange(), raw);
        String acquisition = config.acquisition() == null ? "poll" : config.acquisition().trim().toLowerCase(Locale.ROOT);
        if (!acquisition.equals("poll") && !acquisition.equals("subscribe")) {
            throw new IllegalArgumentException("acquisition must be poll or subscribe, got '" + config.acquisition() + "'");
        }
        return new PlcSettings(plcId, connection, scheme.group(1), config.enabled(), poll, tags, timeout,
                new Backoff.Policy(first, max, factor), acquisition.equals("subscribe"));
    }

    private static Map<String, TagSpec> parseTags(String list, boolean reportOnChangeDefault, Map<String, ?> raw) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("tags must list at least one name=address");
        }
        Map<String, TagSpec> tags = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("tag '" + entry + "' is not name=address");
            }
            String name = entry.substring(0, eq).trim();
            String address = entry.substring(eq + 1).trim();
            if (!TAG.matcher(name).matches()) {
                throw new IllegalArgumentException("tag name '" + name + "' must match [A-Za-z0-9._-]{1,128}");
            }
            if (tags.containsKey(name)) {
                throw new IllegalArgumentException("tag '" + name + "' is configured twice");
            }
            double deadband = number("deadband." + name, raw.get("deadband." + name), 0.0);
            if (deadband < 0) {
                throw new IllegalArgumentException("deadband." + name + " must not be negative");
            }
            Object onChange = raw.get("reportOnChange." + name);
            boolean reportOnChange = onChange == null ? (reportOnChangeDefault || deadband > 0) : bool("reportOnChange." + name, onChange);
            Object writable = raw.get("writable." + name);
            Double min = optionalNumber("min." + name, raw.get("min." + name));
            Double max = optionalNumber("max." + name, raw.get("max." + name));
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException("min." + name + " " + min + " is above max." + name + " " + max);
            }
            tags.put(name, new TagSpec(name, address, deadband, reportOnChange,
                    writable != null && bool("writable." + name, writable), min, max));
        }
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("tags must list at least one name=address");
        }
        List<String> unknown = new ArrayList<>();
        for (String key : raw.keySet()) {
            for (String prefix : PER_TAG_PREFIXES) {
                if (key.startsWith(prefix) && !tags.containsKey(key.substring(prefix.length()))) {
                    unknown.add(key);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("settings for tags that are not configured: " + unknown);
        }
        return tags;
    }

    private static long range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static double number(String key, Object value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, got '" + value + "'");
        }
    }

    private static Double optionalNumber(String key, Object value) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        double d = number(key, value, 0);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(key + " must be a finite number, got '" + value + "'");
        }
        return d;
    }

    /** The tags commands may write, with their ranges. */
    Map<String, site.gateway.api.plc.WritableTag> writableTags() {
        Map<String, site.gateway.api.plc.WritableTag> writable = new LinkedHashMap<>();
        tags.values().stream().filter(TagSpec::writable).forEach(t -> writable.put(t.name(), t.writeRule()));
        return java.util.Collections.unmodifiableMap(writable);
    }

    private static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim().toLowerCase(Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(s);
    }

    /** Host and port for logs, without parameters that might carry credentials. */
    String connectionForLog() {
        int q = connection.indexOf('?');
        return q < 0 ? connection : connection.substring(0, q);
    }

}
