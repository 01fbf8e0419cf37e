package site.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command whose envelope is well formed (§3.6). Nothing in it is trusted until the signature over
 * {@code signedBytes} (its JCS form without {@code sig}) has been verified.
 */
record Command(String commandId, String tenantId, String gatewayId, String plcId, String kind, JsonNode payload,
        long issuedAt, long expiresAt, String kid, byte[] sig, byte[] signedBytes) {
}
