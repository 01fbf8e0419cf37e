package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.Route;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** §4 reconnection, failover and failback, Retry-After, half-open, bad frames, no loss. */
class ResilienceTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void failsOverToTheSecondEndpointAndFailsBackWithACleanClose() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            a.goOffline();
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(a.baseUrl() + "," + b.baseUrl()))) {
                gw.append(100);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 100, Duration.ofSeconds(30));
                SessionRecord onB = a.openSession(TestGateway.GATEWAY);
                assertThat(onB.node()).isEqualTo(b.port());
                assertThat(gw.env.audited("wms.failover", "ok")).isEqualTo(1);

                a.goOnline(); // health probes every 300 ms find it and the gateway moves back
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    SessionRecord s = a.openSession(TestGateway.GATEWAY);
                    return s != null && s.node() == a.port();
                });
                SessionRecord closedOnB = a.sessions().stream().filter(s -> s.node() == b.port()).findFirst().orElseThrow();
                assertThat(closedOnB.closeCode()).isEqualTo(1000);
                assertThat(a.requestCount(Route.HEALTH)).isGreaterThanOrEqualTo(1);
                gw.append(100);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 200, Duration.ofSeconds(30));
                assertThat(gw.engine.info().endpoint()).isEqualTo(a.baseUrl());
            }
        }
    }

    @Test
    void retryAfterIsHonouredForRegisterAndUpgrade() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.refuse(503, 2, Route.REGISTER);
            try (TestGateway gw = TestGateway.start(wms)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.REGISTER) >= 2);
                // Retry-After: 2, timed by the sandbox at the requests' arrival
                assertThat(RequestTimes.gapAfter(wms, RequestTimes.registerPath(), 0)).isGreaterThan(Duration.ofMillis(1800));
                wms.stopRefusing();
                wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
                gw.awaitConnected();

                wms.refuse(429, 2, Route.WEBSOCKET);
                int upgrades = wms.requestCount(Route.WEBSOCKET);
                wms.closeSessions(1012, "restart");
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.WEBSOCKET) >= upgrades + 2);
                assertThat(RequestTimes.gapAfter(wms, RequestTimes.websocketPath(wms), upgrades)).isGreaterThan(Duration.ofMillis(1800));
                wms.stopRefusing();
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.openSession(TestGateway.GATEWAY) != null);
            }
        }
    }

    /**
     * RNF-003: after one silent interval the gateway pings; a silent WMS (pongs included) is given up when the
     * ping goes unanswered, before the three intervals of §3.4 (3 s interval: 3 + 5 s instead of 9 s).
     */
    @Test
    void anUnansweredPingEndsASilentConnectionBeforeThreeIntervals() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(3).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            List<String> closedBecause = new CopyOnWriteArrayList<>();
            gw.env.listeners.add(new WmsSessionListener() {
                @Override
                public void disconnected(SessionInfo info, String reason) {
                    closedBecause.add(reason);
                }
            });
            wms.setSilent(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> !closedBecause.isEmpty());
            assertThat(closedBecause.get(0)).startsWith("1006 half-open: no frame for").contains("a ping unanswered for");
            wms.setSilent(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.info().state() == SessionState.CONNECTED);
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
        }
    }

    @Test
    void halfOpenConnectionIsDetectedAfterThreeSilentIntervals() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.info().state() == SessionState.CONNECTED);
            List<String> closedBecause = new CopyOnWriteArrayList<>();
            gw.env.listeners.add(new WmsSessionListener() {
                @Override
                public void disconnected(SessionInfo info, String reason) {
                    closedBecause.add(reason);
                }
            });
            long silentFrom = System.currentTimeMillis();
            wms.setSilent(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> gw.engine.info().state() != SessionState.CONNECTED);
            // Not before about three silent intervals (the last frame came at most one interval before silentFrom);
            // and by the half-open watch, not by some other timeout. How late is the machine's business.
            assertThat(System.currentTimeMillis() - silentFrom).isGreaterThanOrEqualTo(2_000L);
            await().atMost(Duration.ofSeconds(30)).until(() -> !closedBecause.isEmpty());
            assertThat(closedBecause.get(0)).startsWith("1006 half-open: no frame for");
            wms.setSilent(false);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.info().state() == SessionState.CONNECTED);
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
        }
    }

    @Test
    void malformedAndOversizedFramesDoNotStopDelivery() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.info().state() == SessionState.CONNECTED);
            Instant before = Instant.now();
            wms.sendRaw(TestGateway.GATEWAY, "{this is not json");
            wms.sendRaw(TestGateway.GATEWAY, "[1,2,3]");
            wms.sendRaw(TestGateway.GATEWAY, "{\"type\":\"ack\",\"upTo\":\"many\"}");
            wms.sendRaw(TestGateway.GATEWAY, "{\"type\":\"from-the-future\",\"x\":1}");
            ReceivedMessage error = wms.awaitNonDurable("error", n -> "invalid-message".equals(n.path("code").asText()),
                    before, Duration.ofSeconds(30));
            assertThat(error).isNotNull();
            gw.append(10);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 10, Duration.ofSeconds(30));
            assertThat(wms.sessions()).hasSize(1);

            wms.sendRaw(TestGateway.GATEWAY, "{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(1_100_000) + "\"}");
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().size() == 2 && wms.sessions().get(1).open());
            assertThat(wms.sessions().get(0).closeCode()).isEqualTo(1009);
            gw.append(10);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 20, Duration.ofSeconds(30));
        }
    }

    @Test
    void noMessageIsLostAcrossAnOutageAndAFailover() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                        TestGateway.fast(a.baseUrl() + "," + b.baseUrl()))) {
            a.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            // The producer's pace: 10 messages every 10 ms, 3,000 messages over ~3 s, while the WMS goes away.
            java.util.concurrent.ScheduledExecutorService producer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch produced = new java.util.concurrent.CountDownLatch(1);
            producer.scheduleAtFixedRate(() -> {
                if (batches.get() < 300) {
                    gw.append(10);
                    if (batches.incrementAndGet() == 300) {
                        produced.countDown();
                    }
                }
            }, 0, 10, java.util.concurrent.TimeUnit.MILLISECONDS);
            a.goOffline(); // outage of the whole WMS
            b.goOffline();
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().nextSeq() > 1000);
            b.goOnline(); // only the second endpoint comes back: failover
            assertThat(produced.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            producer.shutdownNow();
            long last = gw.outbox().nextSeq() - 1;
            assertThat(last).isEqualTo(3000);
            a.awaitLastReceivedSeq(TestGateway.GATEWAY, last, Duration.ofSeconds(30));
            assertThat(a.storedCount(TestGateway.GATEWAY)).isEqualTo(last);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);
            assertThat(a.protocolViolations()).isEmpty();
        }
    }

    @Test
    void endpointChangeWhileRunningMovesAtOnceAndKeepsTheNumbering() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            Map<String, Object> config = TestGateway.fast(a.baseUrl());
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                a.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
                gw.awaitConnected();
                a.setAcking(false);
                gw.append(50);
                a.awaitDurable(TestGateway.GATEWAY, 50, Duration.ofSeconds(30));
                // b first: the current endpoint is no longer the first healthy one: move at once.
                config.put("endpoints", b.baseUrl() + "," + a.baseUrl());
                config.put("batchMaxDelayMs", 5L);
                gw.engine.update(TestGateway.settings(config));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    SessionRecord s = a.openSession(TestGateway.GATEWAY);
                    return s != null && s.node() == b.port();
                });
                gw.append(50);
                a.setAcking(true);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 100, Duration.ofSeconds(30));
                assertThat(a.storedCount(TestGateway.GATEWAY)).isEqualTo(100);
                // a removed entirely while on b: nothing happens; b removed: move to a.
                config.put("endpoints", a.baseUrl());
                gw.engine.update(TestGateway.settings(config));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    SessionRecord s = a.openSession(TestGateway.GATEWAY);
                    return s != null && s.node() == a.port();
                });
                assertThat(gw.outbox().nextSeq()).isEqualTo(101);
            }
        }
    }

    @Test
    void httpsFallbackWhenUpgradesKeepFailing() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.refuse(502, -1, Route.WEBSOCKET);
            try (TestGateway gw = TestGateway.start(wms)) {
                gw.append(300);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 300, Duration.ofSeconds(30));
                assertThat(wms.receivedDurable(TestGateway.GATEWAY)).allMatch(m -> m.via().equals("https"));
                assertThat(wms.gzipRequestCount(Route.MESSAGES)).as("batches of 1 KiB or more go gzipped").isPositive();
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.outbox().stats().messages() == 0);
                wms.stopRefusing(); // the WebSocket is tried again and wins
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.openSession(TestGateway.GATEWAY) != null);
                gw.append(5);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 305, Duration.ofSeconds(30));
            }
        }
    }

    @Test
    void shorterBackoffAppliesToTheWaitInProgress() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.goOffline();
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("backoffInitialMs", 3_600_000L);
            config.put("backoffMaxMs", 3_600_000L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.append(3);
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.WAITING);
                wms.goOnline();
                config.put("backoffInitialMs", 50L);
                config.put("backoffMaxMs", 300L);
                gw.engine.update(TestGateway.settings(config));
                // The wait in progress is an hour long: delivery within the minute means it was cut short.
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(60));
                assertThat(gw.outbox().nextSeq()).isEqualTo(4);
            }
        }
    }
}
