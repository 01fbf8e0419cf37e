package site.gateway.storage;

import java.nio.charset.StandardCharsets;

/** Realistic durable messages for tests: about 300 bytes of telemetry JSON carrying a marker. */
final class Messages {
    private Messages() {
    }

    static byte[] telemetry(long n) {
        return ("{\"type\":\"telemetry\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\",\"plcId\":\"plc-1\","
                + "\"ts\":1764259201000,\"n\":" + n + ",\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":1.25,"
                + "\"quality\":\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.load\",\"value\":812.5,"
                + "\"quality\":\"good\",\"ts\":1764259200990},{\"tag\":\"conveyor1.running\",\"value\":true,"
                + "\"quality\":\"good\",\"ts\":1764259200991}]}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] alert(long n) {
        return ("{\"type\":\"alert\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\",\"severity\":\"warning\","
                + "\"code\":\"plc.unreachable\",\"message\":\"m\",\"n\":" + n + ",\"ts\":1764259201000}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The marker n of a stored message. */
    static long marker(byte[] json) {
        String s = text(json);
        int i = s.indexOf("\"n\":") + 4;
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        return Long.parseLong(s.substring(i, j));
    }
}
