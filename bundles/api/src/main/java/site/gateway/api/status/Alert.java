package site.gateway.api.status;

import java.util.Map;

/**
 * An alert (§3.2). {@code fields} are extra members of the alert message, such as
 * {@code outageStartTs}, {@code count}, {@code ranges}, {@code commandId}; {@code plcId} may be null.
 */
public record Alert(Severity severity, String code, String message, String plcId, Map<String, Object> fields) {
    public Alert {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    public static Alert warning(String code, String message) {
        return new Alert(Severity.WARNING, code, message, null, Map.of());
    }

    public static Alert critical(String code, String message) {
        return new Alert(Severity.CRITICAL, code, message, null, Map.of());
    }
}
