package site.gateway.sandbox;

/** Protocol messages as a gateway would send them. */
final class Messages {
    private Messages() {
    }

    static String telemetry(long seq) {
        return "{\"type\":\"telemetry\",\"seq\":" + seq + ",\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\",\"plcId\":\"plc-1\","
                + "\"ts\":1764259201000,\"readings\":[{\"tag\":\"conveyor1.speed\",\"value\":1.25,\"quality\":\"good\",\"ts\":1764259200990}]}";
    }

    static String batch(long from, long to) {
        StringBuilder items = new StringBuilder();
        for (long seq = from; seq <= to; seq++) {
            items.append(seq == from ? "" : ",").append(telemetry(seq));
        }
        return "{\"type\":\"batch\",\"items\":[" + items + "]}";
    }

    static String hello(String sessionId, long lastAcked, long nextSeq) {
        return "{\"type\":\"hello\",\"sessionId\":\"" + sessionId + "\",\"lastAckedSeq\":" + lastAcked + ",\"nextSeq\":" + nextSeq
                + ",\"pending\":0,\"dropped\":[],\"status\":\"operational\"}";
    }

    static String status() {
        return "{\"type\":\"status\",\"state\":\"operational\",\"reason\":\"test\",\"ts\":1764259201000}";
    }

    static String heartbeat() {
        return "{\"type\":\"heartbeat\",\"ts\":1764259201000,\"status\":\"operational\",\"endpoint\":\"https://localhost\","
                + "\"metrics\":{\"cpuPercent\":3.1,\"processCpuPercent\":1.2,\"memoryUsedBytes\":1,\"memoryMaxBytes\":2,"
                + "\"rssBytes\":3,\"bufferedMessages\":0,\"bufferedBytes\":0,\"oldestBufferedAgeMs\":0,\"droppedMessages\":0,"
                + "\"reconnects\":0,\"connectedSinceTs\":0,\"sentPerSecond\":0.0,"
                + "\"plcs\":[{\"plcId\":\"plc-1\",\"status\":\"connected\",\"lastReadTs\":0}]}}";
    }
}
