package site.gateway.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.status.GatewayState;
import site.gateway.core.status.AlertPublisher;
import site.gateway.core.status.StatusBoard;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.DevTlsContext;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;
import site.gateway.transport.TransportComponent;
import site.gateway.transport.TransportConfig;

/**
 * End to end without a framework: this heartbeat component, the real transport, the core's status
 * board and alert publisher, against the WMS sandbox over TLS 1.3 on loopback. DS's injection of the
 * optional, dynamic references is done by hand ({@link #inject}).
 */
class HeartbeatOverTransportTest {
    static final String TENANT = "acme";
    static final String GATEWAY = "gw-01";

    WmsSandbox wms;
    TransportComponent transport;
    HeartbeatComponent heartbeat;
    /** Services the transport registers by hand, by interface. */
    final Map<Class<?>, Object> services = new java.util.concurrent.ConcurrentHashMap<>();
    volatile java.util.function.Consumer<site.gateway.api.wms.WmsSessionOpen> markerListener = open -> { };
    volatile java.util.function.Consumer<site.gateway.api.wms.WmsSessionOpen> markerGone = open -> { };

    <T> T registered(Class<T> type) {
        return type.cast(services.get(type));
    }

    @AfterEach
    void stop() throws Exception {
        if (heartbeat != null) {
            heartbeat.deactivate();
        }
        if (transport != null) {
            invoke(transport, "deactivate");
        }
        if (wms != null) {
            wms.close();
        }
    }

    @Test
    void heartbeatsReachTheWmsAndEachOutageComesBackAsADurableAlert() throws Exception {
        DevPki pki = DevPki.generate(TENANT, GATEWAY);
        wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start();
        // Away at start for longer than the grace, as a first session is on a busy machine: an outage since
        // activation, reported as an alert of its own once the WMS is there.
        wms.goOffline();
        GatewayIdentity identity = new FixedIdentity(TENANT, GATEWAY);
        MemoryOutbox outbox = new MemoryOutbox();
        StatusBoard status = new StatusBoard();
        AlertPublisher alerts = new AlertPublisher(identity);
        invoke(alerts, "useOutbox", outbox);

        transport = new TransportComponent(outbox, new DevTlsContext(pki), identity, bundleContext(),
                Converters.standardConverter().convert(Map.of("endpoints", wms.baseUrl(), "backoffInitialMs", 50L,
                        "backoffMaxMs", 500L, "connectTimeoutMs", 2000L, "requestTimeoutMs", 5000L))
                        .to(TransportConfig.class));
        inject(transport, "plcs", new Fakes.Plcs()); // a site without PLCs: nothing to wait for before registering
        outbox.onAppend(seq -> registered(site.gateway.api.outbox.OutboxListener.class).appended(seq));
        inject(transport, "status", status);
        inject(transport, "alerts", alerts);
        heartbeat = new HeartbeatComponent(transport, status, HeartbeatComponentTest.config(0, 3_000));
        heartbeat.outbox = outbox;
        heartbeat.alerts = alerts;
        // No session listener: the heartbeat reads the WMS's heartbeats from the transport's session info.
        // What DS does with the transport's marker service: bound while registered.
        markerListener = open -> heartbeat.bindSessionOpen(open);
        markerGone = open -> heartbeat.unbindSessionOpen(open);
        site.gateway.api.wms.WmsSessionOpen already = registered(site.gateway.api.wms.WmsSessionOpen.class);
        if (already != null) {
            heartbeat.bindSessionOpen(already); // registered before: DS binds it at activation
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status.current().state() == GatewayState.DEGRADED);
        long startOutageSeenAt = System.currentTimeMillis();
        wms.goOnline();

        // heartbeats at the WMS's interval (1 s), accepted by the sandbox's validator
        await().atMost(Duration.ofSeconds(30)).until(() -> wms.receivedNonDurable("heartbeat").size() >= 3);
        List<ReceivedMessage> beats = wms.receivedNonDurable("heartbeat");
        JsonNode last = HeartbeatMessageTest.assertHeartbeatShape(beats.get(beats.size() - 1).json().toString());
        assertThat(last.get("endpoint").asText()).isEqualTo(wms.baseUrl());
        assertThat(last.get("metrics").get("connectedSinceTs").asLong()).isPositive();
        assertThat(wms.protocolViolations()).noneMatch(v -> v.contains("heartbeat"));
        // Operational once the WMS's heartbeats arrive (a first session slower than the grace degrades it first).
        await().atMost(Duration.ofSeconds(30)).until(() -> status.current().state() == GatewayState.OPERATIONAL);

        // an outage longer than the grace: degraded, then a durable wms.unreachable alert after reconnection
        long offlineAt = System.currentTimeMillis();
        wms.goOffline();
        await().atMost(Duration.ofSeconds(30)).until(() -> status.current().state() == GatewayState.DEGRADED);
        long degradedSeenAt = System.currentTimeMillis();
        assertThat(status.current().reason()).contains("wms: WMS unreachable");
        wms.goOnline();
        // Found by content, not by seq: the outage since activation took seq 1.
        await().atMost(Duration.ofSeconds(30)).until(() -> outageAlertSince(offlineAt) != null);
        JsonNode alert = outageAlertSince(offlineAt);
        assertThat(alert.get("severity").asText()).isEqualTo("warning");
        // It started when the transport saw the WMS go, which is before the state showed it.
        assertThat(alert.get("outageStartTs").asLong()).isBetween(offlineAt, degradedSeenAt);
        assertThat(alert.get("outageMs").asLong()).isGreaterThanOrEqualTo(3_000);
        List<JsonNode> outageAlerts = wms.receivedDurable(GATEWAY).stream().filter(m -> m.type().equals("alert"))
                .map(ReceivedMessage::json).toList();
        assertThat(outageAlerts).hasSize(2).allSatisfy(a -> assertThat(a.get("code").asText()).isEqualTo("wms.unreachable"));
        assertThat(outageAlerts.get(0).get("outageStartTs").asLong()).as("the outage since activation")
                .isLessThan(startOutageSeenAt);
        assertThat(outageAlerts.get(1)).isEqualTo(alert);
        await().atMost(Duration.ofSeconds(30)).until(() -> status.current().state() == GatewayState.OPERATIONAL);
        int before = wms.receivedNonDurable("heartbeat").size();
        await().atMost(Duration.ofSeconds(30)).until(() -> wms.receivedNonDurable("heartbeat").size() > before);
    }

    /** The durable wms.unreachable alert for an outage that began at or after {@code since}, or null. */
    private JsonNode outageAlertSince(long since) {
        return wms.receivedDurable(GATEWAY).stream().filter(m -> m.type().equals("alert")).map(ReceivedMessage::json)
                .filter(m -> m.path("code").asText().equals("wms.unreachable") && m.path("outageStartTs").asLong() >= since)
                .findFirst().orElse(null);
    }

    /** What DS does for a field reference. */
    static void inject(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** What DS does for a bind or deactivate method. */
    static void invoke(Object target, String method, Object... args) throws Exception {
        for (Method m : target.getClass().getDeclaredMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                m.invoke(target, args);
                return;
            }
        }
        throw new NoSuchMethodException(method);
    }

    /** Enough of a bundle context for the registration's bundle inventory and the services registered by hand. */
    BundleContext bundleContext() {
        Bundle self = (Bundle) Proxy.newProxyInstance(HeartbeatOverTransportTest.class.getClassLoader(),
                new Class<?>[] { Bundle.class }, (p, m, a) -> switch (m.getName()) {
                    case "getSymbolicName" -> "site.gateway.heartbeat.test";
                    case "getVersion" -> new Version(1, 0, 0);
                    case "getState" -> Bundle.ACTIVE;
                    case "getBundleId" -> 1L;
                    case "hashCode" -> 1;
                    case "equals" -> p == a[0];
                    default -> null;
                });
        return (BundleContext) Proxy.newProxyInstance(HeartbeatOverTransportTest.class.getClassLoader(),
                new Class<?>[] { BundleContext.class }, (p, m, a) -> switch (m.getName()) {
                    case "getBundle" -> self;
                    case "getBundles" -> new Bundle[] { self };
                    case "getProperty" -> null;
                    case "registerService" -> register((Class<?>) a[0], a[1]);
                    case "hashCode" -> 2;
                    case "equals" -> p == a[0];
                    default -> null;
                });
    }

    private org.osgi.framework.ServiceRegistration<?> register(Class<?> type, Object service) {
        services.put(type, service);
        if (service instanceof site.gateway.api.wms.WmsSessionOpen open) {
            markerListener.accept(open);
        }
        return (org.osgi.framework.ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {org.osgi.framework.ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        services.remove(type, service);
                        if (service instanceof site.gateway.api.wms.WmsSessionOpen open) {
                            markerGone.accept(open);
                        }
                    }
                    return m.getName().equals("hashCode") ? System.identityHashCode(p) : m.getName().equals("equals") ? p == a[0] : null;
                });
    }
}
