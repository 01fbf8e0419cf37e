package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** A durable message acknowledged but not accepted (§3.3 {@code rejected}). */
public record Rejection(String gatewayId, long seq, String reason, JsonNode message) {
}
