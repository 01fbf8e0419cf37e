package site.gateway.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The WMS end of one gateway's WebSocket session (§3). Reads with explicit demand, so that
 * "silent" mode can stop reading and writing altogether (a half-open connection, pongs included).
 * Public only because Jetty invokes listener methods of public classes; not part of the API.
 */
public final class GatewaySocket implements Session.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(GatewaySocket.class);

    final String tenantId;
    final String gatewayId;
    final String sessionId;
    private final WmsSandbox node;
    private final WmsState state;
    private final GatewayLedger ledger;
    private final Intake intake;
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private volatile Session session;
    private volatile SessionRecord record;
    private volatile boolean needAck;
    private volatile boolean demandPending;
    private volatile ByteBuffer pendingPong;
    private boolean helloDone;
    private boolean awaitingStatus;

    GatewaySocket(WmsSandbox node, WmsState state, String tenantId, String gatewayId, String sessionId) {
        this.node = node;
        this.state = state;
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        this.sessionId = sessionId;
        this.ledger = state.ledger(tenantId, gatewayId);
        this.intake = new Intake(state, ledger, "ws", node.port());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        List<String> extensions = session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
        record = new SessionRecord(tenantId, gatewayId, sessionId, node.port(), session.getUpgradeResponse().getAcceptedSubProtocol(),
                extensions, Instant.now(), null, 0, null);
        state.sessionRecords.add(record);
        node.sockets.add(this);
        GatewaySocket previous = state.open(this);
        if (previous != null && node.supersedeSessions) {
            previous.close(4409, "superseded by a newer session");
        }
        LOG.info("WebSocket open: {}/{} session {} extensions {}", tenantId, gatewayId, sessionId, extensions);
        demand();
    }

    @Override
    public void onWebSocketText(String text) {
        try {
            handle(text);
        } catch (RuntimeException e) {
            LOG.warn("Failed to handle a message from {}: {}", gatewayId, e.toString(), e);
            send(Json.error("internal", e.toString()));
        }
        demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        send(Json.error("invalid-message", "binary frames are not part of protocol v1"));
        state.violation(gatewayId + ": binary frame");
        demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        if (node.silent) {
            // Read just before silence began: answer once the node speaks again.
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.slice()).flip();
            pendingPong = copy;
        } else {
            session.sendPong(payload, Callback.NOOP);
        }
        demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        demand();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        state.closed(this);
        node.sockets.remove(this);
        SessionRecord open = record;
        if (open != null) {
            record = open.closed(statusCode, reason);
            state.replaceSessionRecord(open, record);
        }
        LOG.info("WebSocket closed: {}/{} code {} {}", tenantId, gatewayId, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("WebSocket error for {}: {}", gatewayId, cause.toString());
    }

    private void demand() {
        if (node.silent) {
            demandPending = true;
        } else {
            session.demand();
        }
    }

    /** After silent mode or acking is switched back on: read again, send the ack that is due. */
    void resume() {
        ByteBuffer pong = pendingPong;
        if (pong != null && !node.silent) {
            pendingPong = null;
            session.sendPong(pong, Callback.NOOP);
        }
        if (demandPending && !node.silent) {
            demandPending = false;
            session.demand();
        }
        sendAck();
    }

    private void handle(String text) {
        JsonNode message;
        try {
            message = Json.parse(text);
        } catch (JsonProcessingException e) {
            invalid("not JSON: " + e.getOriginalMessage());
            return;
        }
        if (!message.isObject() || !message.path("type").isTextual()) {
            invalid("message without a type");
            return;
        }
        String type = message.get("type").textValue();
        if (node.logMessages) {
            LOG.info("{} -> WMS: {}", gatewayId, "batch".equals(type)
                    ? "batch of " + message.path("items").size() + " up to seq " + message.path("items").path(message.path("items").size() - 1).path("seq")
                    : Intake.abbreviate(message));
        }
        if (awaitingStatus && !"status".equals(type)) {
            state.violation(gatewayId + ": first message after welcome was " + type + ", not status");
        }
        awaitingStatus = false;
        switch (type) {
            case "hello" -> hello(message);
            case "telemetry", "command.result", "alert" -> durable(List.of(message), null);
            case "batch" -> batch(message);
            case "dropped" -> dropped(message);
            case "heartbeat" -> nonDurable(message, MessageValidator.heartbeatProblem(message));
            case "status" -> nonDurable(message, MessageValidator.statusProblem(message));
            case "command.ack" -> nonDurable(message, MessageValidator.commandAckProblem(message));
            // The gateway answers invalid WMS messages (and commands without commandId) with error.
            case "error" -> nonDurable(message, message.path("code").isTextual() ? null : "error without a code");
            default -> nonDurable(message, "unknown message type " + type);
        }
    }

    private void hello(JsonNode message) {
        record(message);
        String problem = MessageValidator.helloProblem(message);
        if (problem != null) {
            invalid(problem);
            return;
        }
        if (!sessionId.equals(message.path("sessionId").asText(null))) {
            state.violation(gatewayId + ": hello sessionId " + message.path("sessionId") + " is not the registered " + sessionId);
        }
        intake.dropped(message.get("dropped"));
        helloDone = true;
        String early = node.beforeWelcome.getAndSet(null);
        if (early != null) {
            sendRaw(early);
        }
        awaitingStatus = true;
        send(Json.object().put("type", "welcome").put("lastReceivedSeq", ledger.lastReceivedSeq()));
    }

    private void batch(JsonNode message) {
        String problem = intake.batchProblem(message.get("items"));
        if (problem == null) {
            problem = MessageValidator.rangesProblem(message.get("dropped"), true);
        }
        if (problem != null) {
            invalid(problem);
            return;
        }
        durable(message.get("items"), message.get("dropped"));
    }

    private void durable(Iterable<JsonNode> items, JsonNode droppedRanges) {
        if (!helloDone) {
            state.violation(gatewayId + ": durable message before hello");
        }
        intake.dropped(droppedRanges);
        for (ObjectNode error : intake.accept(items)) {
            send(error);
        }
        ackLater();
    }

    private void dropped(JsonNode message) {
        record(message);
        String problem = MessageValidator.rangesProblem(message.get("ranges"), false);
        if (problem != null) {
            invalid("dropped: " + problem);
            return;
        }
        intake.dropped(message.get("ranges"));
        ackLater();
    }

    private void nonDurable(JsonNode message, String problem) {
        record(message);
        if (problem != null) {
            invalid(problem);
        }
    }

    private void record(JsonNode message) {
        state.recordNonDurable(new ReceivedMessage(tenantId, gatewayId, message.path("type").asText(), 0, message,
                Instant.now(), "ws", node.port()));
    }

    private void invalid(String problem) {
        state.violation(gatewayId + ": " + problem);
        send(Json.error("invalid-message", problem));
    }

    // ---- acknowledgements ----

    private void ackLater() {
        needAck = true;
        if (!node.acking || node.silent) {
            return;
        }
        long delayMs = node.ackDelay.toMillis();
        if (delayMs <= 0) {
            sendAck();
        } else if (ackScheduled.compareAndSet(false, true)) {
            node.scheduler.schedule(() -> {
                ackScheduled.set(false);
                sendAck();
            }, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    void sendAck() {
        if (!needAck || !node.acking || node.silent) {
            return;
        }
        needAck = false;
        send(Json.object().put("type", "ack").put("upTo", ledger.lastReceivedSeq()));
    }

    // ---- sending ----

    /** Sends unless the node is silent; false when not sent. */
    boolean send(JsonNode message) {
        if (node.silent) {
            return false;
        }
        return sendRaw(Json.write(message));
    }

    /** Sends the text as one frame, whatever it is (tests use it for malformed and oversized frames). */
    synchronized boolean sendRaw(String text) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return false;
        }
        s.sendText(text, Callback.from(() -> { }, failure -> LOG.debug("Send to {} failed: {}", gatewayId, failure.toString())));
        return true;
    }

    void heartbeat() {
        send(Json.object().put("type", "heartbeat").put("ts", System.currentTimeMillis()));
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    SessionRecord record() {
        return record;
    }
}
