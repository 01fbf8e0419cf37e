package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.sandbox.UpgradeFault;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.testsupport.BlockingConnectProxy;

/**
 * Issue 12.7: the HTTPS fallback (§2.6) as a mode. It starts on every way an upgrade can be blocked while
 * HTTPS works (reset, no answer, a proxy refusing the tunnel), counts as an open session (operational, no
 * outage), hears the WMS's answers as signs of life, and gives way to the WebSocket as soon as it works again.
 */
class FallbackModeTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void anUpgradeResetLeadsToTheFallbackWhichIsAnOpenSessionUntilTheWebSocketWorksAgain() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
            wms.setUpgradeFault(UpgradeFault.RESET);
            Recorder recorder = new Recorder();
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(wms.baseUrl()), env -> env.listeners.add(recorder))) {
                gw.append(50);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 50, Duration.ofSeconds(30));
                assertThat(wms.receivedDurable(TestGateway.GATEWAY)).allMatch(m -> m.via().equals("https"));
                SessionInfo info = gw.engine.info();
                assertThat(info.httpsFallback()).isTrue();
                assertThat(info.describe()).isEqualTo("connected over HTTPS fallback");
                assertThat(recorder.connected).anyMatch(SessionInfo::httpsFallback);
                assertThat(gw.env.markers).anyMatch(m -> m.startsWith("opened "));
                // No WMS heartbeats on this path: its answers over HTTPS (health probes every interval) are heard.
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.heartbeats.get() >= 2);
                // ... and show in the session's state, for whatever starts watching later
                assertThat(gw.engine.info().lastWmsHeartbeatTs()).isGreaterThanOrEqualTo(info.connectedSinceTs());
                assertThat(recorder.disconnected).isEmpty();

                wms.setUpgradeFault(UpgradeFault.NONE);
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
                assertThat(gw.engine.info().transport()).isEqualTo(SessionInfo.WEBSOCKET);
                assertThat(gw.env.markers).anyMatch(m -> m.startsWith("closed ") && m.endsWith("(on purpose)"));
                gw.append(5);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 55, Duration.ofSeconds(30));
                assertThat(wms.receivedDurable(TestGateway.GATEWAY, 55).via()).isNotEqualTo("https");
            }
        }
    }

    /** As over WebSocket: the WMS hears of it as dropped and acknowledges past it, even when nothing follows it. */
    @Test
    void aMessageTooLargeForAnyBatchIsAnnouncedAsDroppedAndDoesNotBlockTheQueue() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setUpgradeFault(UpgradeFault.RESET);
            try (TestGateway gw = TestGateway.start(wms)) {
                gw.append(2);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 2, Duration.ofSeconds(30));
                assertThat(gw.engine.phase()).isEqualTo(Phase.FALLBACK);
                String huge = "{\"type\":\"alert\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\",\"severity\":\"warning\","
                        + "\"code\":\"x\",\"message\":\"" + "y".repeat(1_200_000) + "\",\"ts\":1}";
                gw.outbox().append(MessageType.ALERT, huge.getBytes(StandardCharsets.UTF_8));
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);

                gw.append(2);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(30));
                assertThat(wms.receivedDurable(TestGateway.GATEWAY, 3)).isNull();
                assertThat(wms.receivedDurable(TestGateway.GATEWAY, 5).via()).isEqualTo("https");
                assertThat(gw.env.audited("message.oversized", "dropped")).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnansweredUpgradeLeadsToTheFallback() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setUpgradeFault(UpgradeFault.HANG);
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("requestTimeoutMs", 1_500L);
            config.put("failoverAfterMs", 1_000L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.append(20);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 20, Duration.ofSeconds(30));
                assertThat(gw.engine.phase()).isEqualTo(Phase.FALLBACK);
            }
        }
    }

    @Test
    void behindAProxyThatRefusesTheWebSocketTunnel() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).separateWebSocketPort(true).start();
             BlockingConnectProxy proxy = BlockingConnectProxy.start()) {
            proxy.block(wms.webSocketPort(), BlockingConnectProxy.Block.REFUSE);
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("proxy", proxy.url());
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.append(20);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 20, Duration.ofSeconds(30));
                assertThat(gw.engine.phase()).isEqualTo(Phase.FALLBACK);
                assertThat(proxy.tunnels(wms.port())).as("HTTPS went through the proxy").isPositive();
                assertThat(proxy.blocked(wms.webSocketPort())).isPositive();

                proxy.allowAll();
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
                assertThat(proxy.tunnels(wms.webSocketPort())).as("the WebSocket went through the proxy").isPositive();
            }
        }
    }

    @Test
    void noFallbackWhenHttpsDoesNotWorkEither() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setUpgradeFault(UpgradeFault.RESET);
            wms.refuse(502, -1, site.gateway.sandbox.Route.HEALTH);
            try (TestGateway gw = TestGateway.start(wms)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audits.stream()
                        .noneMatch(a -> a.action().equals("wms.http-fallback")) && wms.requestCount(site.gateway.sandbox.Route.HEALTH) >= 2);
                assertThat(gw.engine.phase()).isNotEqualTo(Phase.FALLBACK);
            }
        }
    }

    static final class Recorder implements WmsSessionListener {
        final List<SessionInfo> connected = new CopyOnWriteArrayList<>();
        final List<String> disconnected = new CopyOnWriteArrayList<>();
        final AtomicInteger heartbeats = new AtomicInteger();

        @Override
        public void connected(SessionInfo info) {
            connected.add(info);
        }

        @Override
        public void disconnected(SessionInfo info, String reason) {
            disconnected.add(reason);
        }

        @Override
        public void wmsHeartbeat(long ts) {
            heartbeats.incrementAndGet();
        }
    }
}
