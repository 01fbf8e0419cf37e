package site.gateway.commands;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.osgi.util.converter.Converters;

import site.gateway.api.crypto.CommandKeys;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.plc.E2ePlc;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.transport.E2eTransport;

/**
 * The gateway side of the end-to-end tests, all real except the outbox (in memory) and the identity:
 * CommandService, the transport's session engine over TLS 1.3 to the WMS sandbox, and the plc bundle's
 * managed PLC on the gateway's Modbus driver against a j2mod server on 127.0.0.1.
 */
final class GatewayStack implements AutoCloseable {
    static final String PLC = "plc-1";
    static final String TARGET = "conveyor1.target"; // holding register 5
    static final String SPEED = "conveyor1.speed";   // holding register 6

    final DevPki pki;
    final WmsSandbox wms;
    final ModbusServer modbus;
    final MemoryOutbox outbox = new MemoryOutbox();
    final Path replayDir;
    final Map<String, Object> config = new HashMap<>();
    final RecordingAlerts alerts = new RecordingAlerts();
    E2ePlc plc;
    CommandService service;
    E2eTransport transport;

    GatewayStack(DevPki pki, WmsSandbox wms, ModbusServer modbus, Path replayDir) {
        this.pki = pki;
        this.wms = wms;
        this.modbus = modbus;
        this.replayDir = replayDir;
        config.put("replayCacheDirectory", replayDir.toString());
        config.put("commandTimeoutMs", 10_000L);
    }

    GatewayStack start() throws Exception {
        GatewayIdentity identity = new FixedIdentity(pki.tenantId(), pki.gatewayId());
        return start(new E2ePlc(identity, outbox, PLC, modbus.connection(),
                TARGET + "=holding-register:5:INT, " + SPEED + "=holding-register:6:INT"));
    }

    /** With a PLC of the test's choosing (another driver, another server). */
    GatewayStack start(E2ePlc managed) throws Exception {
        plc = managed;
        startGateway();
        await().atMost(Duration.ofSeconds(15)).until(plc::connected);
        return this;
    }

    /** Commands and transport: started again by {@link #restartGateway()}; the replay cache is on disk. */
    private void startGateway() throws Exception {
        GatewayIdentity identity = new FixedIdentity(pki.tenantId(), pki.gatewayId());
        PublicKey wmsKey = pki.commandKey().publicKey();
        String kid = pki.commandKey().kid();
        CommandKeys keys = id -> kid.equals(id) ? Optional.of(wmsKey) : Optional.empty();
        service = new CommandService(keys, identity, plc.registry(), outbox,
                Converters.standardConverter().convert(config).to(CommandsConfig.class), Clock.systemUTC());
        service.alerts = alerts;
        transport = new E2eTransport(pki, wms.baseUrl(), outbox, service);
        outbox.onAppend(seq -> transport.appended());
        wms.awaitSession(pki.gatewayId(), Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(15)).until(transport::connected);
    }

    void restartGateway() throws Exception {
        outbox.onAppend(seq -> { });
        transport.close();
        service.deactivate();
        startGateway();
    }

    @Override
    public void close() throws IOException {
        outbox.onAppend(seq -> { });
        if (transport != null) {
            transport.close();
        }
        if (service != null) {
            service.deactivate();
        }
        if (plc != null) {
            plc.close();
        }
    }
}
