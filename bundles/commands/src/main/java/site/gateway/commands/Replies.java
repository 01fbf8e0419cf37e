package site.gateway.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The immediate answers to a command message (§3.6). */
final class Replies {
    private Replies() {
    }

    static String accepted(String commandId) {
        return "{\"type\":\"command.ack\",\"commandId\":\"" + commandId + "\",\"accepted\":true}";
    }

    /** {@code commandId} matched the identifier syntax, so it needs no escaping. */
    static String rejected(String commandId, Reason reason) {
        return "{\"type\":\"command.ack\",\"commandId\":\"" + commandId + "\",\"accepted\":false,\"reason\":\""
                + reason.wireName() + "\"}";
    }

    static String invalidCommand(String message) {
        ObjectNode error = Json.object();
        error.put("type", "error");
        error.put("code", "invalid-command");
        error.put("message", message);
        return Json.write(error);
    }
}
