package site.gateway.commands;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxFullException;

/**
 * Appends the durable {@code command.result} (§3.2) of each accepted command to the outbox, once its
 * {@code done} record is forced to the replay cache. In that order a crash can never give a command two
 * results (a restart reports only commands without the record); what it can do is lose the result of a
 * command whose record was forced but whose message the outbox had not yet synced (a few milliseconds).
 */
final class CommandResults {
    private static final Logger LOG = LoggerFactory.getLogger(CommandResults.class);

    /** The component's audit trail, or its backlog while the trail is not bound. */
    interface Audit {
        void record(String actor, String action, String target, String outcome, Map<String, Object> details);
    }

    private final Outbox outbox;
    private final Clock clock;
    private final Supplier<ReplayCache> replay;
    private final Object replaySwitch;
    private final Audit audit;

    /** @param replaySwitch held while the replay cache is replaced, so that no done record goes to the old one */
    CommandResults(Outbox outbox, Clock clock, Supplier<ReplayCache> replay, Object replaySwitch, Audit audit) {
        this.outbox = outbox;
        this.clock = clock;
        this.replay = replay;
        this.replaySwitch = replaySwitch;
        this.audit = audit;
    }

    /** The result of a command that ran (or was given up) in this run of the gateway. */
    void publish(Command command, Outcome outcome) {
        publish(command.tenantId(), command.gatewayId(), command.commandId(), command.plcId(), outcome, "wms");
    }

    /**
     * Commands accepted before a crash (or a stop that could not finish them) that owe a result: each gets
     * {@code failed}, saying that whether it ran is unknown. Called at activation, before any command is accepted.
     */
    void publishOwed(String tenantId, String gatewayId) {
        replay.get().owed().forEach((commandId, plcId) -> {
            LOG.warn("Command {} for {} was accepted but had not finished when the gateway stopped (crash or kill):"
                    + " reported failed; whether it reached the PLC is unknown", commandId, plcId);
            audit.record("system", "command.interrupted", commandId, "failed", Map.of("plcId", plcId));
            publish(tenantId, gatewayId, commandId, plcId, Outcome.interrupted(plcId), "system");
        });
    }

    private void publish(String tenantId, String gatewayId, String commandId, String plcId, Outcome outcome,
            String actor) {
        String status = outcome.status().wireName();
        try {
            synchronized (replaySwitch) {
                replay.get().done(commandId);
            }
        } catch (RuntimeException e) {
            // Sending it now could give the command a second result after a restart that still finds it owed.
            LOG.error("Result of command {} ({}) not sent: its completion could not be recorded: {}", commandId,
                    status, e.toString());
            audit.record(actor, "command.result", commandId, "failed",
                    Map.of("status", status, "error", "replay cache: " + e.getMessage()));
            return;
        }
        byte[] message = Json.bytes(message(tenantId, gatewayId, commandId, plcId, outcome, clock.millis()));
        try {
            long seq = outbox.append(MessageType.COMMAND_RESULT, message);
            audit.record(actor, "command.result", commandId, "ok", Map.of("status", status, "seq", seq));
        } catch (OutboxFullException | RuntimeException e) {
            LOG.error("Result of command {} ({}) could not be buffered: {}", commandId, status, e.toString());
            audit.record(actor, "command.result", commandId, "failed",
                    Map.of("status", status, "error", String.valueOf(e.getMessage())));
        }
    }

    /** The command.result without seq (the outbox adds it). */
    private static ObjectNode message(String tenantId, String gatewayId, String commandId, String plcId,
            Outcome outcome, long completedAt) {
        ObjectNode message = Json.object();
        message.put("type", MessageType.COMMAND_RESULT.wireName());
        message.put("tenantId", tenantId);
        message.put("gatewayId", gatewayId);
        message.put("commandId", commandId);
        message.put("plcId", plcId);
        message.put("status", outcome.status().wireName());
        if (outcome.result() != null) {
            message.set("result", outcome.result());
        }
        if (outcome.status() != Outcome.Status.SUCCEEDED) {
            message.put("error", outcome.error());
        }
        message.put("completedAt", completedAt);
        return message;
    }
}
