package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;
import java.util.regex.Pattern;

/** Checks messages against protocol v1; each method returns a problem description or null. */
final class MessageValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Set<String> QUALITIES = Set.of("good", "uncertain", "bad");
    private static final Set<String> RESULT_STATUSES = Set.of("succeeded", "failed", "timed-out", "expired");
    private static final Set<String> SEVERITIES = Set.of("warning", "critical");
    private static final Set<String> GATEWAY_STATES = Set.of("operational", "degraded", "shutting-down");
    private static final Set<String> HEARTBEAT_STATES = Set.of("operational", "degraded");
    private static final Set<String> PLC_STATES = Set.of("connected", "unreachable", "disabled");
    private static final Set<String> ACK_REASONS = Set.of("bad-signature", "unknown-key", "wrong-gateway", "expired",
            "replayed", "unknown-plc", "unsupported-kind", "invalid-payload", "queue-full");
    private static final String[] METRICS = {"cpuPercent", "processCpuPercent", "memoryUsedBytes", "memoryMaxBytes",
            "rssBytes", "bufferedMessages", "bufferedBytes", "oldestBufferedAgeMs", "droppedMessages", "reconnects",
            "connectedSinceTs", "sentPerSecond", "plcs"};

    private MessageValidator() {
    }

    static boolean isDurableType(String type) {
        return "telemetry".equals(type) || "command.result".equals(type) || "alert".equals(type);
    }

    /** The seq of a durable message, or -1 when it has no valid one. */
    static long seq(JsonNode message) {
        JsonNode seq = message.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            return -1;
        }
        return seq.longValue();
    }

    static String durableProblem(JsonNode m, String tenantId, String gatewayId) {
        String type = m.path("type").asText();
        if (!isDurableType(type)) {
            return "not a durable message type: " + type;
        }
        if (!tenantId.equals(m.path("tenantId").asText(null))) {
            return "tenantId missing or not " + tenantId;
        }
        if (!gatewayId.equals(m.path("gatewayId").asText(null))) {
            return "gatewayId missing or not " + gatewayId;
        }
        return switch (type) {
            case "telemetry" -> telemetryProblem(m);
            case "command.result" -> commandResultProblem(m);
            default -> alertProblem(m);
        };
    }

    private static String telemetryProblem(JsonNode m) {
        if (!id(m, "plcId")) {
            return "telemetry needs a plcId";
        }
        if (!timestamp(m, "ts")) {
            return "telemetry needs ts (integer ms)";
        }
        JsonNode readings = m.get("readings");
        if (readings == null || !readings.isArray()) {
            return "telemetry needs a readings array";
        }
        for (JsonNode r : readings) {
            if (!r.path("tag").isTextual() || !TAG.matcher(r.path("tag").asText()).matches()) {
                return "reading with a missing or invalid tag";
            }
            if (!value(r.get("value"))) {
                return "reading " + r.path("tag").asText() + " has no valid value";
            }
            if (!QUALITIES.contains(r.path("quality").asText())) {
                return "reading " + r.path("tag").asText() + " has an invalid quality";
            }
            if (!timestamp(r, "ts")) {
                return "reading " + r.path("tag").asText() + " needs ts (integer ms)";
            }
        }
        return null;
    }

    private static String commandResultProblem(JsonNode m) {
        if (!m.path("commandId").isTextual() || !id(m, "plcId")) {
            return "command.result needs commandId and plcId";
        }
        String status = m.path("status").asText();
        if (!RESULT_STATUSES.contains(status)) {
            return "command.result has an invalid status: " + status;
        }
        if (!"succeeded".equals(status) && !m.path("error").isTextual()) {
            return "command.result with status " + status + " needs an error";
        }
        if (!timestamp(m, "completedAt")) {
            return "command.result needs completedAt (integer ms)";
        }
        return null;
    }

    private static String alertProblem(JsonNode m) {
        if (!SEVERITIES.contains(m.path("severity").asText())) {
            return "alert has an invalid severity";
        }
        if (!m.path("code").isTextual() || m.path("code").asText().isEmpty()) {
            return "alert needs a code";
        }
        if (!m.path("message").isTextual()) {
            return "alert needs a message";
        }
        if (!timestamp(m, "ts")) {
            return "alert needs ts (integer ms)";
        }
        return null;
    }

    static String helloProblem(JsonNode m) {
        if (!m.path("lastAckedSeq").isIntegralNumber() || !m.path("nextSeq").isIntegralNumber()
                || !m.path("pending").isIntegralNumber()) {
            return "hello needs integer lastAckedSeq, nextSeq and pending";
        }
        String ranges = rangesProblem(m.get("dropped"), true);
        if (ranges != null) {
            return "hello: " + ranges;
        }
        if (!HEARTBEAT_STATES.contains(m.path("status").asText())) {
            return "hello needs status operational|degraded";
        }
        return null;
    }

    /** Ranges must be [[from, to], ...] with 1 <= from <= to. */
    static String rangesProblem(JsonNode ranges, boolean optional) {
        if (ranges == null || ranges.isNull()) {
            return optional ? null : "ranges missing";
        }
        if (!ranges.isArray()) {
            return "ranges must be an array";
        }
        for (JsonNode range : ranges) {
            if (!range.isArray() || range.size() != 2 || !range.get(0).isIntegralNumber() || !range.get(1).isIntegralNumber()
                    || range.get(0).longValue() < 1 || range.get(0).longValue() > range.get(1).longValue()) {
                return "invalid range " + range;
            }
        }
        return null;
    }

    static String heartbeatProblem(JsonNode m) {
        if (!timestamp(m, "ts")) {
            return "heartbeat needs ts";
        }
        if (!HEARTBEAT_STATES.contains(m.path("status").asText())) {
            return "heartbeat needs status operational|degraded";
        }
        if (!m.path("endpoint").isTextual()) {
            return "heartbeat needs endpoint";
        }
        JsonNode metrics = m.get("metrics");
        if (metrics == null || !metrics.isObject()) {
            return "heartbeat needs metrics";
        }
        for (String field : METRICS) {
            JsonNode value = metrics.get(field);
            if (value == null || ("plcs".equals(field) ? !value.isArray() : !value.isNumber())) {
                return "heartbeat metrics." + field + " missing or of the wrong type";
            }
        }
        for (JsonNode plc : metrics.get("plcs")) {
            if (!id(plc, "plcId") || !PLC_STATES.contains(plc.path("status").asText()) || !plc.path("lastReadTs").isIntegralNumber()) {
                return "heartbeat metrics.plcs entry invalid: " + plc;
            }
        }
        return null;
    }

    static String statusProblem(JsonNode m) {
        if (!GATEWAY_STATES.contains(m.path("state").asText())) {
            return "status needs state operational|degraded|shutting-down";
        }
        if (!timestamp(m, "ts")) {
            return "status needs ts";
        }
        return null;
    }

    static String commandAckProblem(JsonNode m) {
        if (!m.path("commandId").isTextual() || !m.path("accepted").isBoolean()) {
            return "command.ack needs commandId and accepted";
        }
        if (!m.path("accepted").booleanValue() && !ACK_REASONS.contains(m.path("reason").asText())) {
            return "command.ack rejected without a valid reason";
        }
        return null;
    }

    private static boolean id(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v != null && v.isTextual() && ID.matcher(v.textValue()).matches();
    }

    private static boolean timestamp(JsonNode m, String field) {
        JsonNode v = m.get(field);
        return v != null && v.isIntegralNumber() && v.canConvertToLong();
    }

    private static boolean value(JsonNode v) {
        if (v == null) {
            return false;
        }
        if (v.isNumber() || v.isBoolean() || v.isTextual()) {
            return true;
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!(item.isNumber() || item.isBoolean() || item.isTextual())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
