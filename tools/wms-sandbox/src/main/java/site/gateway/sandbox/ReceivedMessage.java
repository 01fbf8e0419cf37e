package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A message the sandbox received from a gateway. {@code seq} is 0 for non-durable messages;
 * {@code via} is "ws" or "https"; {@code node} is the port of the sandbox node that received it.
 */
public record ReceivedMessage(String tenantId, String gatewayId, String type, long seq, JsonNode json,
                              Instant receivedAt, String via, int node) {

    public boolean durable() {
        return seq > 0;
    }
}
