package site.gateway.api.audit;

import java.util.Map;

/**
 * One audited operation.
 *
 * @param actor   who did it: {@code wms}, {@code operator}, {@code system}, a bundle name, a user
 * @param action  what, dotted: {@code command.received}, {@code config.updated}, {@code tls.rejected}
 * @param target  on what: a commandId, a PID, a host, a bundle
 * @param outcome {@code ok}, {@code rejected}, {@code failed}, ...
 * @param details small extra facts; never secrets
 */
public record AuditEvent(String actor, String action, String target, String outcome, Map<String, Object> details) {
    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
