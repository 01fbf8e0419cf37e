package site.gateway.testsupport;

import site.gateway.api.identity.GatewayIdentity;

/** A gateway identity that never changes. */
public record FixedIdentity(String tenantId, String gatewayId) implements GatewayIdentity {
}
