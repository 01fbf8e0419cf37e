package site.gateway.api.status;

/** The gateway's state, a human reason (empty when operational) and when it last changed. */
public record StatusSnapshot(GatewayState state, String reason, long ts) {
}
