package site.gateway.transport;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.SeqRange;
import site.gateway.api.status.StatusSnapshot;

/** JSON of the protocol's non-durable messages and of the HTTPS answers the gateway reads. */
final class Wire {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ObjectMapper json = new ObjectMapper();

    ObjectMapper mapper() {
        return json;
    }

    String hello(String sessionId, long lastAckedSeq, long nextSeq, long pending, List<SeqRange> dropped, String status) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "hello");
        n.put("sessionId", sessionId);
        n.put("lastAckedSeq", lastAckedSeq);
        n.put("nextSeq", nextSeq);
        n.put("pending", pending);
        n.set("dropped", ranges(dropped));
        n.put("status", status);
        return write(n);
    }

    String status(StatusSnapshot s, long ts) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "status");
        n.put("state", s.state().wireName());
        n.put("reason", s.reason() == null ? "" : s.reason());
        n.put("ts", ts);
        return write(n);
    }

    String dropped(List<SeqRange> ranges) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "dropped");
        n.set("ranges", ranges(ranges));
        return write(n);
    }

    /** The {@code "dropped":[[a,b],...]} member for an HTTPS batch (§2.6). */
    String droppedMember(List<SeqRange> ranges) {
        return "\"dropped\":" + write(ranges(ranges));
    }

    String commandRefused(String commandId, String reason) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "command.ack");
        n.put("commandId", commandId);
        n.put("accepted", false);
        n.put("reason", reason);
        return write(n);
    }

    String error(String code, String message) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "error");
        n.put("code", code);
        n.put("message", message);
        return write(n);
    }

    ArrayNode ranges(List<SeqRange> ranges) {
        ArrayNode a = json.createArrayNode();
        for (SeqRange r : ranges) {
            a.addArray().add(r.from()).add(r.to());
        }
        return a;
    }

    /** Parses one incoming frame; a frame that is not a JSON object with a string {@code type} is malformed. */
    JsonNode parseMessage(String text) throws IOException {
        JsonNode node = json.readTree(text);
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new IOException("not a JSON object with a string \"type\"");
        }
        return node;
    }

    /** Reads the register answer (§2.1); missing optional fields get the protocol's defaults. */
    Registration registration(URI endpoint, byte[] body, long nowMs) throws IOException {
        JsonNode n = json.readTree(body);
        if (n == null || !n.isObject()) {
            throw new IOException("register answer is not a JSON object");
        }
        String token = n.path("token").asText(null);
        String sessionId = n.path("sessionId").asText(null);
        if (token == null || token.isEmpty() || sessionId == null || sessionId.isEmpty()) {
            throw new IOException("register answer lacks token or sessionId");
        }
        long expiresAt = n.path("tokenExpiresAt").asLong(0);
        int heartbeat = Registration.clampHeartbeat(n.path("heartbeatIntervalSeconds").asInt(Registration.DEFAULT_HEARTBEAT_S));
        URI ws = null;
        String wsText = n.path("websocketUrl").asText(null);
        if (wsText != null && !wsText.isEmpty()) {
            try {
                ws = new URI(wsText);
            } catch (java.net.URISyntaxException e) {
                // an IOException like every other unusable answer (found by WireFuzzTest)
                throw new IOException("websocketUrl is not a URL: " + e.getMessage(), e);
            }
            if (!"wss".equalsIgnoreCase(ws.getScheme())) {
                throw new IOException("websocketUrl must be wss://, got " + wsText);
            }
        }
        long lastReceived = Math.max(0, n.path("lastReceivedSeq").asLong(0));
        return new Registration(endpoint, sessionId, token, nowMs, expiresAt, heartbeat, ws, lastReceived);
    }

    /** Reads a token answer (§2.2): the new token and its expiry. */
    JsonNode tokenAnswer(byte[] body) throws IOException {
        JsonNode n = json.readTree(body);
        if (n == null || !n.path("token").isTextual() || n.path("token").asText().isEmpty()) {
            throw new IOException("token answer lacks token");
        }
        return n;
    }

    byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(JsonNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
