package site.gateway.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.util.converter.Converters;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.CommandHandler;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.DevTlsContext;

/**
 * The transport bundle's real session engine, wired as its component wires it, for the commands
 * end-to-end test: real TLS 1.3 with the sandbox's dev PKI, the given outbox and command handler.
 * (In this package because the engine is internal to the transport bundle.)
 */
public final class E2eTransport implements TransportEnv, AutoCloseable {
    private final Outbox outbox;
    private final TlsContextProvider tls;
    private final String tenantId;
    private final String gatewayId;
    private final CommandHandler handler;
    private final List<WmsSessionListener> listeners = new CopyOnWriteArrayList<>();
    private final SessionEngine engine;

    public E2eTransport(DevPki pki, String endpoint, Outbox outbox, CommandHandler handler) throws Exception {
        this.outbox = outbox;
        this.tls = new DevTlsContext(pki);
        this.tenantId = pki.tenantId();
        this.gatewayId = pki.gatewayId();
        this.handler = handler;
        Map<String, Object> config = Map.of("endpoints", endpoint, "backoffInitialMs", 50L, "backoffMaxMs", 500L,
                "failoverAfterFailures", 2, "healthCheckIntervalMs", 300L, "connectTimeoutMs", 1000L,
                "requestTimeoutMs", 3000L, "crlRefreshMs", 60_000L);
        this.engine = new SessionEngine(this, Settings.from(
                Converters.standardConverter().convert(config).to(TransportConfig.class)));
        engine.start();
    }

    /**
     * The outbox has a new message, durable at once in these tests' {@code MemoryOutbox}: wake the sender (the
     * component does this as an OutboxListener when the buffer announces durable seqs).
     */
    public void appended() {
        engine.durableAdvanced();
    }

    public boolean connected() {
        return engine.phase() == Phase.CONNECTED;
    }

    @Override
    public void close() {
        engine.stop();
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public TlsContextProvider tls() {
        return tls;
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public StatusSnapshot status() {
        return new StatusSnapshot(GatewayState.OPERATIONAL, "", System.currentTimeMillis());
    }

    @Override
    public void alert(Alert alert) {
    }

    @Override
    public void audit(String actor, String action, String target, String outcome, Map<String, Object> details) {
    }

    @Override
    public CommandHandler commandHandler() {
        return handler;
    }

    @Override
    public List<WmsSessionListener> sessionListeners() {
        return listeners;
    }

    @Override
    public byte[] registrationBody() {
        return ("{\"protocol\":1,\"tenantId\":\"" + tenantId + "\",\"gatewayId\":\"" + gatewayId
                + "\",\"software\":{\"version\":\"test\",\"bundles\":[]},\"plcs\":[],\"lastAckedSeq\":"
                + outbox.lastAckedSeq() + ",\"startedAt\":" + System.currentTimeMillis() + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
