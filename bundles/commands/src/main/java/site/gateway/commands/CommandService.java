package site.gateway.commands;

import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.crypto.CommandKeys;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.WritableTag;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;
import site.gateway.api.status.Severity;
import site.gateway.api.wms.CommandHandler;
import site.gateway.support.config.ConfigGate;
import site.gateway.support.config.FrameworkService;

/**
 * Commands from the WMS (§3.6): checks each one in the order of precedence of the rejection reasons,
 * remembers accepted ids durably, queues them per PLC, executes them and appends a durable
 * {@code command.result} to the outbox; at activation, reports those a crash cut short ({@link CommandResults}).
 * Every step is audited.
 *
 * <p>Over 300 lines on purpose: the checks run in the protocol's order of precedence of the rejection reasons
 * (§3.6), and keeping that order readable in one place, top to bottom, is worth more than smaller files.
 */
@Component(service = {CommandHandler.class, CommandStats.class}, configurationPid = CommandsConfig.PID, immediate = true)
@Designate(ocd = CommandsConfig.class)
public class CommandService implements CommandHandler, CommandStats {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
    private static final String ACTOR = "wms";
    private static final long STOP_JOIN_MS = 2000;
    /** A PLC's command thread ends after this long without commands (so a removed PLC keeps none). */
    private static final long WORKER_IDLE_MS = 60_000;

    private final CommandKeys keys;
    private final GatewayIdentity identity;
    private final PlcRegistry plcs;
    private final Clock clock;
    private final CommandExecutor executor;
    private final CommandLatency latency = new CommandLatency();

    private final StartupAudit audit = new StartupAudit();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Alerts alerts;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configAdmin;

    /** Serialises admission, so that the replay check, the capacity check and the queueing are atomic. */
    /** At most this many command.rejected alerts a minute; the next one after a flood carries the count. */
    static final int REJECTION_ALERTS_PER_MINUTE = 20;
    private final AlertBudget rejectionAlerts = new AlertBudget(REJECTION_ALERTS_PER_MINUTE, 60_000);
    /** Rejections logged and audited one by one per minute; the rest are counted in one summary entry. */
    static final int REJECTIONS_RECORDED_PER_MINUTE = 60;
    private final RejectionRecorder rejections = new RejectionRecorder(REJECTIONS_RECORDED_PER_MINUTE, 60_000,
            new RejectionRecorder.Sink() {
                @Override
                public void one(String commandId, String reason, String detail) {
                    LOG.info("Command {} rejected: {} ({})", commandId, reason, detail);
                    record("command.rejected", commandId, "rejected", Map.of("reason", reason, "detail", detail));
                }

                @Override
                public void summary(long from, long to, long count, Map<String, Long> byReason) {
                    LOG.warn("{} more commands rejected between {} and {} without a log line each: {}", count,
                            java.time.Instant.ofEpochMilli(from), java.time.Instant.ofEpochMilli(to), byReason);
                    record("command.rejected-summary", "-", "rejected",
                            Map.of("count", count, "byReason", byReason, "fromTs", from, "toTs", to));
                }
            });
    private final Object admission = new Object();
    private final Map<String, TargetQueue> queues = new ConcurrentHashMap<>();
    private final ConfigGate<Settings> gate = new ConfigGate<>(CommandsConfig.PID, LOG, this::rejected);
    private volatile Settings settings;
    private volatile ReplayCache replay;
    private volatile ClockGuard clockGuard;
    private final AlertBudget clockAlerts = new AlertBudget(1, 10 * 60_000);
    private volatile boolean stopped;
    private final CommandResults results;

    @Activate
    public CommandService(@Reference CommandKeys keys, @Reference GatewayIdentity identity,
            @Reference PlcRegistry plcs, @Reference Outbox outbox, CommandsConfig config) throws IOException {
        this(keys, identity, plcs, outbox, config, Clock.systemUTC());
    }

    CommandService(CommandKeys keys, GatewayIdentity identity, PlcRegistry plcs, Outbox outbox, CommandsConfig config,
            Clock clock) throws IOException {
        this.keys = keys;
        this.identity = identity;
        this.plcs = plcs;
        this.clock = clock;
        this.executor = new CommandExecutor(plcs, () -> configAdmin);
        Settings initial = gate.first(() -> Settings.of(config));
        this.settings = initial;
        // Fail closed: without its replay cache the gateway must not accept commands at all.
        this.clockGuard = ClockGuard.open(initial.replayCacheDirectory(), clock.millis(), initial.clockSkew(),
                initial.maxLifetime());
        this.replay = ReplayCache.open(initial.replayCacheDirectory(), clock.millis());
        this.results = new CommandResults(outbox, clock, () -> replay, admission, audit);
        // In the constructor, so before any new command is handled; the outbox is a mandatory reference.
        results.publishOwed(identity.tenantId(), identity.gatewayId());
        audit.started();
        LOG.info("Commands ready; replay cache {}", replay.file());
    }

    /** Binding the audit trail also writes the entries the constructor made. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAudit(AuditTrail bound) {
        audit.bind(bound);
    }

    void unbindAudit(AuditTrail gone) {
        audit.unbind(gone);
    }

    @Modified
    void modified(CommandsConfig config) {
        Settings next = gate.check(() -> Settings.of(config), "the previous one").orElse(null);
        if (next == null) {
            return;
        }
        synchronized (admission) {
            if (!next.replayCacheDirectory().equals(settings.replayCacheDirectory())) {
                ReplayCache reopened;
                try {
                    reopened = ReplayCache.open(next.replayCacheDirectory(), clock.millis());
                    // Ids accepted so far must stay refused: carry them over to the new file.
                    reopened.rememberAll(replay, clock.millis());
                } catch (IOException | RuntimeException e) {
                    LOG.error("Cannot open the replay cache in {}: {}; keeping the previous configuration",
                            next.replayCacheDirectory(), e.toString());
                    rejected("replay cache: " + e);
                    return;
                }
                ReplayCache old = replay;
                replay = reopened;
                old.close();
                try {
                    ClockGuard moved = ClockGuard.open(next.replayCacheDirectory(), clock.millis(), next.clockSkew(),
                            next.maxLifetime());
                    moved.raise(java.time.Duration.ofMillis(clockGuard.largestSkewMs()),
                            java.time.Duration.ofMillis(clockGuard.retentionMs() - clockGuard.largestSkewMs()));
                    moved.seen(clockGuard.highestSeen());
                    clockGuard = moved;
                } catch (IOException e) {
                    LOG.error("Cannot write {} in {}: {}", ClockGuard.FILE, next.replayCacheDirectory(), e.toString());
                }
            }
            try {
                long grown = clockGuard.raise(next.clockSkew(), next.maxLifetime());
                if (grown > 0) {
                    // Ids accepted under the smaller allowance stay refused as long as the larger one accepts them.
                    replay.extendAll(grown, clock.millis());
                    LOG.info("Replay retention grew by {} ms to {} ms (largest skew and lifetime ever allowed)", grown,
                            clockGuard.retentionMs());
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("Cannot extend the replay retention: {}; keeping the previous configuration", e.toString());
                rejected("replay retention: " + e);
                return;
            }
            settings = next;
        }
        LOG.info("Configuration {} applied: {}", CommandsConfig.PID, next);
        auditConfig("config.applied", "ok", next.toString());
    }

    @Deactivate
    void deactivate() {
        List<QueuedCommand> unstarted = new ArrayList<>();
        synchronized (admission) {
            stopped = true;
        }
        rejections.flush(clock.millis());
        queues.values().forEach(q -> unstarted.addAll(q.stop(STOP_JOIN_MS)));
        queues.clear();
        for (QueuedCommand q : unstarted) {
            publish(q, Outcome.unsuccessful(Outcome.Status.FAILED, emptyResult(q.action()),
                    "gateway stopped before the command was executed"));
        }
        replay.close();
    }

    @Override
    public String handle(String commandJson) {
        long arrived = System.nanoTime();
        long now = clock.millis();
        JsonNode root;
        String commandId;
        try {
            root = CommandParser.readTree(commandJson);
            commandId = CommandParser.commandId(root);
        } catch (UnusableCommand e) {
            rejections.rejected(now, "-", "invalid-command", Untrusted.text(e.getMessage()));
            latency.record(REJECTED, arrived);
            return Replies.invalidCommand(e.getMessage());
        }
        try {
            Command command = CommandParser.envelope(root, commandId);
            Settings current = settings;
            checkShape(command, now, current);
            verify(command, now, current);
            // Audited once authentic: an unsigned frame gets only its (bounded) rejection entry.
            record("command.received", commandId, "ok", Map.of("plcId", auditable(root.path("plcId").asText("")),
                    "kind", auditable(root.path("kind").asText(""))));
            record("command.verified", commandId, "ok", Map.of("kid", command.kid()));
            // After the checks that come before "replayed" in §3.6's order, which a clock set back cannot fool
            // into accepting: an inauthentic command still gets its own reason (and alert) while the clock is behind.
            checkClock(now, current);
            admit(command, now, arrived, current);
            return Replies.accepted(commandId);
        } catch (Rejection r) {
            return reject(commandId, r, arrived);
        } catch (RuntimeException e) {
            // A failing collaborator (PLC registry, key store): nothing was queued; "try again later".
            LOG.error("Command {} could not be handled", commandId, e);
            return reject(commandId, new Rejection(Reason.QUEUE_FULL, "internal error: " + e), arrived);
        }
    }

    /**
     * invalid-payload comes first in §3.6's order: the times and the payload (shape, configured tag
     * names of a known PLC, the allow-list for gateway configuration) are checked before the key and
     * signature. This tells an unauthenticated sender whether a tag name or PID is known: the contract's
     * order is kept, and neither is a secret.
     */
    private void checkShape(Command command, long now, Settings current) throws Rejection {
        long skew = current.clockSkew().toMillis();
        if (command.issuedAt() > now + skew) {
            throw new Rejection(Reason.INVALID_PAYLOAD, "issuedAt " + command.issuedAt() + " is in the future");
        }
        if (command.expiresAt() < command.issuedAt()
                || command.expiresAt() - command.issuedAt() > current.maxLifetime().toMillis()) {
            throw new Rejection(Reason.INVALID_PAYLOAD, "lifetime " + (command.expiresAt() - command.issuedAt())
                    + " ms is negative or longer than " + current.maxLifetime().toMillis() + " ms");
        }
        // Tag names are checked when the PLC is known; for an unknown one, unknown-plc follows later.
        boolean known = plcs.status(command.plcId()).isPresent();
        Set<String> tags = known ? plcs.tags(command.plcId()) : null;
        Map<String, WritableTag> writable = known ? plcs.writableTags(command.plcId()) : null;
        switch (command.kind()) {
            case "query" -> PayloadValidator.reads(command.payload(), tags);
            case "move" -> PayloadValidator.writes(command.payload(), tags, writable);
            case "config" -> {
                if (PayloadValidator.GATEWAY.equals(command.plcId())) {
                    PayloadValidator.gatewayConfig(command.payload(), current.configAllowList());
                } else {
                    PayloadValidator.writes(command.payload(), tags, writable);
                }
            }
            default -> {
                // an unknown kind has no shape to check: unsupported-kind, later
            }
        }
    }

    /**
     * Refuses every command while the clock is behind the highest time seen (it was set back, or jumped
     * forward before): the replay cache may have forgotten ids that are valid again by this clock.
     * queue-full, the protocol's "not now": the WMS tries again, and it works once the clock has caught up.
     */
    private void checkClock(long now, Settings current) throws Rejection {
        ClockGuard guard = clockGuard;
        if (guard.behind(now, current.clockSkew().toMillis())) {
            String detail = "the gateway clock (" + java.time.Instant.ofEpochMilli(now) + ") is behind the highest time"
                    + " it has seen (" + java.time.Instant.ofEpochMilli(guard.highestSeen()) + "): commands are refused"
                    + " until it catches up (" + guard.file() + ")";
            if (clockAlerts.tryRaise(now)) {
                LOG.error("CLOCK BEHIND: {}", detail);
                Alerts target = alerts;
                if (target != null) {
                    target.raise(Alert.critical("clock.behind", detail));
                }
            }
            throw new Rejection(Reason.QUEUE_FULL, detail);
        }
        try {
            guard.seen(now);
        } catch (IOException e) {
            throw new Rejection(Reason.QUEUE_FULL, "cannot record the time in " + guard.file() + ": " + e);
        }
    }

    /** Authenticity, destination and expiry: unknown-key, bad-signature, wrong-gateway, expired. */
    private void verify(Command command, long now, Settings current) throws Rejection {
        Optional<PublicKey> key;
        try {
            key = keys.key(command.kid());
        } catch (RuntimeException e) {
            throw new Rejection(Reason.UNKNOWN_KEY, "key lookup failed: " + e);
        }
        Ed25519PublicKeyParameters ed25519 = key.flatMap(Ed25519Verifier::ed25519)
                .orElseThrow(() -> new Rejection(Reason.UNKNOWN_KEY,
                        key.isPresent() ? "key " + command.kid() + " is not Ed25519" : "no key " + command.kid()));
        if (!Ed25519Verifier.verify(ed25519, command.signedBytes(), command.sig())) {
            throw new Rejection(Reason.BAD_SIGNATURE, "signature does not verify with key " + command.kid());
        }
        if (!command.tenantId().equals(identity.tenantId()) || !command.gatewayId().equals(identity.gatewayId())) {
            throw new Rejection(Reason.WRONG_GATEWAY, "for " + command.tenantId() + "/" + command.gatewayId());
        }
        if (now > command.expiresAt() + current.clockSkew().toMillis()) {
            throw new Rejection(Reason.EXPIRED, "expired at " + command.expiresAt() + ", now " + now);
        }
    }

    /** replayed, unknown-plc, unsupported-kind, invalid-payload, queue-full; then remembered and queued. */
    private void admit(Command command, long now, long arrivedNanos, Settings current) throws Rejection {
        synchronized (admission) {
            if (stopped) {
                throw new Rejection(Reason.QUEUE_FULL, "gateway commands are stopping");
            }
            ReplayCache cache = replay;
            if (cache.contains(command.commandId(), now)) {
                throw new Rejection(Reason.REPLAYED, "commandId accepted before");
            }
            Action action = action(command, now, current);
            TargetQueue queue = queues.computeIfAbsent(command.plcId(), target -> new TargetQueue(target, this::run, WORKER_IDLE_MS));
            if (!queue.hasRoom(current.queueCapacity())) {
                throw new Rejection(Reason.QUEUE_FULL, current.queueCapacity() + " commands already waiting");
            }
            // The largest allowances ever configured, not the current ones (ClockGuard).
            long keepUntil = Math.max(now + clockGuard.retentionMs(), command.expiresAt() + clockGuard.largestSkewMs());
            try {
                cache.remember(command.commandId(), command.plcId(), keepUntil, now);
            } catch (RuntimeException e) {
                // Without a durable record a replay could execute twice: refuse, as if there were no room.
                LOG.error("Replay cache write failed; refusing command {}", command.commandId(), e);
                throw new Rejection(Reason.QUEUE_FULL, "replay cache write failed: " + e);
            }
            // Audited before the offer: the worker may finish the command before offer returns.
            record("command.queued", command.commandId(), "ok", Map.of("plcId", command.plcId(),
                    "kind", command.kind(), "ahead", queue.waiting()));
            queue.offer(new QueuedCommand(command, action, now, arrivedNanos), Integer.MAX_VALUE);
        }
    }

    private Action action(Command command, long now, Settings current) throws Rejection {
        String plcId = command.plcId();
        boolean gateway = PayloadValidator.GATEWAY.equals(plcId);
        if (!gateway && plcs.status(plcId).isEmpty()) {
            throw new Rejection(Reason.UNKNOWN_PLC, "no PLC " + plcId);
        }
        String kind = command.kind();
        boolean supported = gateway ? kind.equals("config") : Set.of("move", "query", "config").contains(kind);
        if (!supported) {
            throw new Rejection(Reason.UNSUPPORTED_KIND, "kind " + kind + " for " + plcId);
        }
        if (gateway) {
            return PayloadValidator.gatewayConfig(command.payload(), current.configAllowList());
        }
        Set<String> tags = plcs.tags(plcId);
        return kind.equals("query") ? PayloadValidator.reads(command.payload(), tags)
                : PayloadValidator.writes(command.payload(), tags, plcs.writableTags(plcId));
    }

    private String reject(String commandId, Rejection r, long arrivedNanos) {
        latency.record(REJECTED, arrivedNanos);
        Reason reason = r.reason();
        rejections.rejected(clock.millis(), commandId, reason.wireName(), Untrusted.text(r.detail()));
        Alerts target = alerts;
        if (reason.raisesAlert() && target != null) {
            if (rejectionAlerts.tryRaise(clock.millis())) {
                long suppressed = rejectionAlerts.takeSuppressed();
                Map<String, Object> fields = suppressed == 0
                        ? Map.of("commandId", commandId, "reason", reason.wireName())
                        : Map.of("commandId", commandId, "reason", reason.wireName(), "suppressed", suppressed);
                target.raise(new Alert(Severity.WARNING, "command.rejected",
                        "Command " + commandId + " rejected: " + reason.wireName()
                                + (suppressed == 0 ? "" : " (" + suppressed + " earlier rejections without an alert)"),
                        null, fields));
            } else {
                LOG.warn("Command {} rejected ({}): more than {} such alerts a minute, this one is counted only",
                        commandId, reason.wireName(), REJECTION_ALERTS_PER_MINUTE);
            }
        }
        return Replies.rejected(commandId, reason);
    }

    /** Runs on the target's queue thread. */
    private void run(QueuedCommand queued) {
        long start = clock.millis();
        Outcome outcome;
        if (start > queued.startDeadline()) {
            outcome = Outcome.unsuccessful(Outcome.Status.EXPIRED, emptyResult(queued.action()),
                    "expiresAt passed while queued");
        } else {
            outcome = executor.execute(queued, settings.commandTimeout());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("plcId", queued.command().plcId());
            details.put("status", outcome.status().wireName());
            details.put("durationMs", clock.millis() - start);
            if (outcome.error() != null) {
                details.put("error", outcome.error());
            }
            record("command.executed", queued.command().commandId(),
                    outcome.status() == Outcome.Status.SUCCEEDED ? "ok" : "failed", details);
        }
        publish(queued, outcome);
    }

    private static ObjectNode emptyResult(Action action) {
        if (action instanceof Action.GatewayConfig) {
            return null;
        }
        ObjectNode result = Json.object();
        result.putArray(action instanceof Action.Reads ? "values" : "written");
        return result;
    }

    /** The durable command.result (§3.2), after the replay cache records that it is sent. */
    private void publish(QueuedCommand queued, Outcome outcome) {
        latency.record(outcome.status().wireName(), queued.arrivedNanos());
        results.publish(queued.command(), outcome);
    }

    @Override
    public Map<String, LatencyHistogram> latencyByOutcome() {
        return latency.snapshot();
    }

    /** Unverified text goes to the audit trail only if it is a short identifier. */
    private static String auditable(String value) {
        return CommandParser.ID.matcher(value).matches() ? value : "(invalid)";
    }

    private void record(String action, String target, String outcome, Map<String, Object> details) {
        audit.record(ACTOR, action, target, outcome, details);
    }

    private void rejected(String reason) {
        auditConfig("config.rejected", "rejected", reason);
    }

    /**
     * Audits a configuration change. In the constructor (an invalid first configuration) the audit trail is
     * not injected yet, so it is looked up.
     */
    private void auditConfig(String action, String outcome, String detail) {
        FrameworkService.use(audit.current(), CommandService.class, AuditTrail.class,
                t -> t.record("system", action, CommandsConfig.PID, outcome, Map.of("detail", detail)));
    }
}
