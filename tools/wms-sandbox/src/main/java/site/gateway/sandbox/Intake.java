package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Stores durable messages for one gateway (WebSocket and HTTPS paths alike). */
final class Intake {

    static final int MAX_BATCH_ITEMS = 1000;

    private final WmsState state;
    private final GatewayLedger ledger;
    private final String via;
    private final int node;
    /** Highest seq seen on this path; seqs must ascend within a WebSocket session (§3.1). */
    private long lastSeq;

    Intake(WmsState state, GatewayLedger ledger, String via, int node) {
        this.state = state;
        this.ledger = ledger;
        this.via = via;
        this.node = node;
    }

    /** Items of a batch: at most 1000, ascending seq; else one error and nothing stored. */
    String batchProblem(JsonNode items) {
        if (items == null || !items.isArray()) {
            return "batch needs an items array";
        }
        if (items.size() > MAX_BATCH_ITEMS) {
            return "batch has " + items.size() + " items, at most " + MAX_BATCH_ITEMS + " allowed";
        }
        long previous = 0;
        for (JsonNode item : items) {
            long seq = MessageValidator.seq(item);
            if (seq > 0 && seq <= previous) {
                return "batch items not in ascending seq (" + seq + " after " + previous + ")";
            }
            previous = Math.max(previous, seq);
        }
        return null;
    }

    /**
     * Stores each message (deduplicated by seq); invalid content is stored as received but reported
     * with a {@code rejected} error; a message without a usable seq gets {@code invalid-message}.
     * Returns the errors to send back.
     */
    List<ObjectNode> accept(Iterable<JsonNode> messages) {
        List<ObjectNode> errors = new ArrayList<>();
        for (JsonNode message : messages) {
            long seq = MessageValidator.seq(message);
            if (!message.isObject() || seq < 0) {
                errors.add(Json.error("invalid-message", "durable message without a valid seq: " + abbreviate(message)));
                state.violation(ledger.gatewayId + ": durable message without a valid seq");
                continue;
            }
            if (seq <= lastSeq) {
                state.violation(ledger.gatewayId + ": seq " + seq + " after " + lastSeq + " in the same session (" + via + ")");
            }
            lastSeq = Math.max(lastSeq, seq);
            String type = message.path("type").asText();
            ReceivedMessage received = new ReceivedMessage(ledger.tenantId, ledger.gatewayId, type, seq, message, Instant.now(), via, node);
            boolean isNew = ledger.store(received);
            if (isNew) {
                String problem = MessageValidator.durableProblem(message, ledger.tenantId, ledger.gatewayId);
                if (problem != null) {
                    state.rejections.add(new Rejection(ledger.gatewayId, seq, problem, message));
                    ObjectNode error = Json.error("rejected", problem);
                    error.put("seq", seq);
                    errors.add(error);
                }
            }
        }
        state.signal();
        return errors;
    }

    /** Adds announced dropped ranges (already validated). */
    void dropped(JsonNode ranges) {
        if (ranges == null || !ranges.isArray()) {
            return;
        }
        for (JsonNode range : ranges) {
            ledger.addDropped(range.get(0).longValue(), range.get(1).longValue());
        }
        state.signal();
    }

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
