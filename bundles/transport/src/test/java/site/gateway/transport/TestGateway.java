package site.gateway.transport;

import java.util.HashMap;
import java.util.Map;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.sandbox.WmsSandbox;

/** A session engine wired to a {@link TestEnv}, with short timings for tests. */
final class TestGateway implements AutoCloseable {
    static final String TENANT = "acme";
    static final String GATEWAY = "gw-01";

    final TestEnv env;
    final SessionEngine engine;

    private TestGateway(TestEnv env, Settings settings) throws Exception {
        this.env = env;
        this.engine = new SessionEngine(env, settings);
        env.outbox.addListener(new site.gateway.api.outbox.OutboxListener() {
            @Override
            public void durable(long upTo) {
                engine.durableAdvanced();
            }

            @Override
            public void dropped(site.gateway.api.outbox.SeqRange range) {
                engine.dropped(range);
            }
        });
    }

    /** Short timings: backoff 50..600 ms, failover after 2 failures, health checks every 300 ms. */
    static Map<String, Object> fast(String endpoints) {
        Map<String, Object> m = new HashMap<>();
        m.put("endpoints", endpoints);
        m.put("backoffInitialMs", 50L);
        m.put("backoffMaxMs", 600L);
        m.put("failoverAfterFailures", 2);
        m.put("healthCheckIntervalMs", 300L);
        m.put("connectTimeoutMs", 1000L);
        m.put("requestTimeoutMs", 3000L);
        m.put("crlRefreshMs", 60_000L);
        return m;
    }

    static Settings settings(Map<String, Object> values) {
        return Settings.from(SettingsTest.config(values));
    }

    static TestGateway start(WmsSandbox wms) throws Exception {
        return start(new InMemoryOutbox(), new TestTls(wms.pki()), TENANT, fast(wms.baseUrl()));
    }

    static TestGateway start(InMemoryOutbox outbox, TlsContextProvider tls, String tenant, Map<String, Object> config)
            throws Exception {
        return start(outbox, tls, tenant, config, env -> { });
    }

    /** {@code prepare} sets up the environment before the session starts. */
    static TestGateway start(InMemoryOutbox outbox, TlsContextProvider tls, String tenant, Map<String, Object> config,
            java.util.function.Consumer<TestEnv> prepare) throws Exception {
        TestEnv env = new TestEnv(outbox, tls, tenant, GATEWAY);
        prepare.accept(env);
        TestGateway g = new TestGateway(env, settings(config));
        g.engine.start();
        return g;
    }

    /** Waits until the session is synchronised (welcome received). */
    void awaitConnected() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> engine.phase() == Phase.CONNECTED);
    }

    InMemoryOutbox outbox() {
        return env.outbox;
    }

    void append(int count) {
        for (int i = 0; i < count; i++) {
            env.outbox.appendTelemetry(env.tenantId, env.gatewayId, i);
        }
    }

    @Override
    public void close() {
        engine.stop();
    }
}
