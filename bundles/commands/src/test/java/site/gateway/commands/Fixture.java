package site.gateway.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.testsupport.RecordingAudit;

/** A CommandService wired to in-memory collaborators, a test key and a replay cache in a temp directory. */
final class Fixture implements AutoCloseable {
    static final String TENANT = "acme";
    static final String GATEWAY = "gw-madrid-01";
    static final String PLC = "plc-1";
    static final String TAG = "conveyor1.target";
    static final String TAG2 = "conveyor1.speed";
    static final long T0 = 1_764_259_200_000L;

    final TestSigner signer = new TestSigner("wms-cmd-2026");
    final FakePlcRegistry plcs = new FakePlcRegistry().plc(PLC, TAG, TAG2);
    /** Replaced by {@link #kill()}: the one the running service appends to. */
    MemoryOutbox outbox = new MemoryOutbox();
    final RecordingAudit audit = new RecordingAudit();
    final RecordingAlerts alerts = new RecordingAlerts();
    final FakeConfigAdmin configAdmin = new FakeConfigAdmin();
    final MutableClock clock = new MutableClock(T0);
    final Map<String, Object> config = new HashMap<>();
    CommandService service;
    /** Services left running by {@link #kill()}, stopped at {@link #close()}. */
    private final List<CommandService> killed = new ArrayList<>();

    Fixture(Path dir) {
        config.put("replayCacheDirectory", dir.resolve("commands").toString());
    }

    Fixture with(String key, Object value) {
        config.put(key, value);
        return this;
    }

    CommandsConfig config() {
        return Converters.standardConverter().convert(config).to(CommandsConfig.class);
    }

    Fixture start() throws IOException {
        service = new CommandService(signer, new FixedIdentity(TENANT, GATEWAY), plcs, outbox, config(), clock);
        service.bindAudit(audit);
        service.alerts = alerts;
        service.configAdmin = configAdmin.service();
        return this;
    }

    /** Stops the service and starts a new one on the same replay cache, as a gateway restart does. */
    void restart() throws IOException {
        service.deactivate();
        start();
    }

    /**
     * What {@code kill -9} leaves, as far as the commands bundle can tell: the running service is never stopped
     * (nothing more of it reaches the new run: it keeps appending to the outbox returned here and to the replay
     * file that the new service's compaction has replaced), and a new one starts on the same replay cache.
     *
     * @return the outbox of the killed run
     */
    MemoryOutbox kill() throws IOException {
        if (service != null) {
            killed.add(service);
        }
        MemoryOutbox before = outbox;
        outbox = new MemoryOutbox();
        start();
        return before;
    }

    ObjectNode move(String commandId) {
        ObjectNode command = Json.object();
        command.put("type", "command");
        command.put("commandId", commandId);
        command.put("tenantId", TENANT);
        command.put("gatewayId", GATEWAY);
        command.put("plcId", PLC);
        command.put("kind", "move");
        ObjectNode write = command.putObject("payload").putArray("writes").addObject();
        write.put("tag", TAG);
        write.put("value", 12);
        command.put("issuedAt", clock.millis());
        command.put("expiresAt", clock.millis() + 60_000);
        command.put("kid", signer.kid);
        return command;
    }

    String signed(ObjectNode command) {
        return Json.write(signer.sign(command));
    }

    /** Handles the command and returns the parsed reply. */
    JsonNode send(String json) {
        try {
            return Json.MAPPER.readTree(service.handle(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode sendSigned(ObjectNode command) {
        return send(signed(command));
    }

    @Override
    public void close() {
        if (service != null) {
            service.deactivate();
        }
        killed.forEach(CommandService::deactivate);
        plcs.release();
    }
}
