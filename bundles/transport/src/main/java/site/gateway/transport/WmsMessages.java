package site.gateway.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.WmsSessionListener;

/**
 * What the WMS sends on the WebSocket (§3.3–§3.7): welcome, ack, heartbeat, command, reregister, error.
 * Commands that arrive before the welcome wait until {@code status} went out (§3.1.3).
 */
final class WmsMessages {
    private static final Logger LOG = LoggerFactory.getLogger(WmsMessages.class);

    private final Session s;
    /** Commands the WMS sent before its welcome reached us: answered after {@code status} (§3.1.3). */
    private final List<String> commandsBeforeWelcome = new ArrayList<>();
    /** When the WMS last asked to register again (§3.7): a WMS repeating it is answered with backoff. */
    private long lastReregisterAt;

    WmsMessages(Session session) {
        this.s = session;
    }

    void received(WsLink l, String text) {
        JsonNode m;
        try {
            m = s.wire.parseMessage(text);
        } catch (java.io.IOException e) {
            LOG.warn("Malformed message from the WMS ignored: {}", e.getMessage());
            l.send(s.wire.error("invalid-message", "not a JSON object with a type: " + e.getMessage()));
            return;
        }
        String type = m.path("type").asText();
        switch (type) {
            case "welcome" -> s.webSocket.welcome(l, m);
            case "ack" -> ack(l, m);
            case "heartbeat" -> {
                long ts = m.path("ts").asLong(0);
                s.lastWmsHeartbeatAt = System.currentTimeMillis();
                for (WmsSessionListener listener : s.env.sessionListeners()) {
                    s.notify(listener, x -> x.wmsHeartbeat(ts));
                }
            }
            case "command" -> {
                if (s.life.phase() == Phase.SYNCING) {
                    commandsBeforeWelcome.add(text); // status must be our first message after the welcome
                } else {
                    command(l, text, m);
                }
            }
            case "reregister" -> reregister();
            case "error" -> wmsError(m);
            default -> LOG.debug("Ignoring message of unknown type {}", type);
        }
    }

    /** A new hello: commands kept from an earlier link are not answered on this one. */
    void forgetEarlyCommands() {
        commandsBeforeWelcome.clear();
    }

    /** After the welcome and {@code status}: the commands that came before them. */
    void answerEarlyCommands(WsLink l) {
        for (String early : List.copyOf(commandsBeforeWelcome)) {
            try {
                command(l, early, s.wire.parseMessage(early));
            } catch (java.io.IOException e) {
                LOG.warn("Malformed early command ignored: {}", e.getMessage()); // parsed once already
            }
        }
        commandsBeforeWelcome.clear();
    }

    /**
     * §3.7 reregister: register again, then reconnect. Honoured at once at most once per {@code backoffMaxMs}:
     * a WMS that asks again sooner (a loop on its side) is answered when that time has passed, so that it
     * cannot drive this gateway into a tight register loop.
     */
    private void reregister() {
        long now = System.currentTimeMillis();
        long backoffMaxMs = s.settings.backoffMaxMs();
        long delay = lastReregisterAt == 0 ? 0 : lastReregisterAt + backoffMaxMs - now;
        boolean repeated = delay > 0;
        lastReregisterAt = repeated ? lastReregisterAt + backoffMaxMs : now;
        LOG.info("The WMS asks this gateway to register again{}", repeated ? " (again within backoffMaxMs: in " + delay + " ms)" : "");
        s.env.audit("wms", "wms.reregister", s.endpoints.current().toString(), "ok", Map.of("repeated", repeated));
        s.registration = null;
        if (!repeated) {
            s.reconnectNow("reregister requested");
            return;
        }
        WsLink l = s.link;
        s.closingOnPurpose = true;
        s.tearDown("reregister requested");
        if (l != null) {
            l.close(1000, "reregister requested", () -> { });
        }
        s.toWaiting();
        s.attempts.scheduleAttempt(delay);
    }

    private void ack(WsLink l, JsonNode m) {
        JsonNode n = m.path("upTo");
        if (!n.canConvertToLong() || n.asLong() < 0) {
            l.send(s.wire.error("invalid-message", "ack needs upTo >= 0"));
            return;
        }
        s.delivery.acked(s.seqSync.applyLastReceived(n.asLong()));
    }

    private void command(WsLink l, String text, JsonNode m) {
        CommandHandler handler = s.env.commandHandler();
        String reply = null;
        if (handler != null) {
            try {
                reply = handler.handle(text);
            } catch (RuntimeException e) {
                LOG.error("Command handler failed", e);
            }
        }
        if (reply == null) {
            JsonNode id = m.path("commandId");
            if (id.isTextual() && Wire.IDENTIFIER.matcher(id.asText()).matches()) {
                reply = s.wire.commandRefused(id.asText(), handler == null ? "unsupported-kind" : "queue-full");
            } else {
                reply = s.wire.error("invalid-command", "command without a usable commandId");
            }
        }
        l.send(reply);
    }

    private void wmsError(JsonNode m) {
        String code = m.path("code").asText("");
        String message = m.path("message").asText("");
        if ("rejected".equals(code) && m.path("seq").canConvertToLong()) {
            long seq = m.path("seq").asLong();
            LOG.warn("The WMS rejected message seq {}: {}", seq, message);
            s.env.audit("wms", "message.rejected", "seq " + seq, "rejected", Map.of("seq", seq, "message", message));
        } else {
            LOG.warn("The WMS reported an error {}: {}", code, message);
            s.env.audit("wms", "wms.error", code, "reported", Map.of("message", message));
        }
    }
}
