package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.time.Instant;

/** One successful §2.1 registration. */
public record Registration(String tenantId, String gatewayId, String sessionId, JsonNode request,
                           BigInteger clientCertificateSerial, Instant at, int node) {
}
