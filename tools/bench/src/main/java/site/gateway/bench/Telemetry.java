package site.gateway.bench;

import java.nio.charset.StandardCharsets;

/** A realistic telemetry message (§3.2) of about 300 bytes, without seq. */
final class Telemetry {
    static final byte[] JSON = ("{\"type\":\"telemetry\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\","
            + "\"plcId\":\"plc-1\",\"ts\":1764259201000,\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":1.25,"
            + "\"quality\":\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.load\",\"value\":812.5,"
            + "\"quality\":\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.running\",\"value\":true,"
            + "\"quality\":\"good\",\"ts\":1764259200991}]}").getBytes(StandardCharsets.UTF_8);

    private Telemetry() {
    }
}
