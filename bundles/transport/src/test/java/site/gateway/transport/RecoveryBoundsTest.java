package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.Route;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 12.6 (RNF-003, recovery within 30 s whatever the failure): a Retry-After does not park the gateway on
 * one endpoint, a hanging endpoint is left after {@code failoverAfterMs} and not after several request
 * timeouts, and values the WMS supplies are clamped.
 */
class RecoveryBoundsTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void aRetryAfterOfADayOnTheFirstEndpointSendsTheGatewayToTheSecond() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            a.refuse(503, 86_400, Route.REGISTER, Route.HEALTH);
            Map<String, Object> config = TestGateway.fast(a.baseUrl() + "," + b.baseUrl());
            config.put("failoverAfterFailures", 3);
            config.put("backoffInitialMs", 50L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.append(10);
                // Before: the gateway waited the whole day on the first endpoint. The bound only ends a hang.
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 10, Duration.ofSeconds(30));
                assertThat(a.openSession(TestGateway.GATEWAY).node()).isEqualTo(b.port());
                assertThat(a.requestCount(Route.REGISTER)).as("one register on the refusing endpoint").isEqualTo(1);
                // The health probes of the failback do not take it back while its Retry-After lasts.
                await().atMost(Duration.ofSeconds(10)).until(() -> gw.env.audited("wms.failover", "ok") >= 1);
                assertThat(gw.engine.info().endpoint()).isEqualTo(b.baseUrl());
            }
        }
    }

    @Test
    void aHangingFirstEndpointIsLeftAfterFailoverAfterMsNotAfterThreeRequestTimeouts() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hanging = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             WmsSandbox b = WmsSandbox.builder(pki).start()) {
            Thread acceptor = new Thread(() -> {
                while (!hanging.isClosed()) {
                    try {
                        held.add(hanging.accept()); // accepts, never reads nor answers: a hanging node
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            }, "hanging-endpoint");
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, Object> config = TestGateway.fast("https://localhost:" + hanging.getLocalPort() + "," + b.baseUrl());
            config.put("failoverAfterFailures", 3);
            config.put("connectTimeoutMs", 60_000L);
            config.put("requestTimeoutMs", 60_000L); // a slow site link: 3 timeouts would be 3 minutes
            config.put("failoverAfterMs", 2_000L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.append(5);
                b.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(50));
                SessionRecord session = b.openSession(TestGateway.GATEWAY);
                assertThat(session.node()).isEqualTo(b.port());
                assertThat(held).as("the first endpoint was tried").isNotEmpty();
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void heartbeatIntervalFromTheWmsIsClamped() throws Exception {
        Wire wire = new Wire();
        java.net.URI a = java.net.URI.create("https://a.example");
        assertThat(wire.registration(a, "{\"sessionId\":\"s\",\"token\":\"t\",\"heartbeatIntervalSeconds\":86400}".getBytes(), 0)
                .heartbeatIntervalSeconds()).isEqualTo(Registration.MAX_HEARTBEAT_S);
        assertThat(wire.registration(a, "{\"sessionId\":\"s\",\"token\":\"t\",\"heartbeatIntervalSeconds\":0}".getBytes(), 0)
                .heartbeatIntervalSeconds()).isEqualTo(Registration.DEFAULT_HEARTBEAT_S);
        assertThat(wire.registration(a, "{\"sessionId\":\"s\",\"token\":\"t\",\"heartbeatIntervalSeconds\":5}".getBytes(), 0)
                .heartbeatIntervalSeconds()).isEqualTo(5);
    }

    /** §2 "MUST wait at least that long": by default no sane Retry-After is cut (it was at 5 min before). */
    @Test
    void aRetryAfterOfTenMinutesIsHonouredByDefault() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.refuse(503, 600, Route.REGISTER);
            try (TestGateway gw = TestGateway.start(wms)) {
                EndpointSelector endpoints = gw.engine.endpointsForTest();
                await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.waitBefore(endpoints.endpoints().get(0), System.currentTimeMillis()) > 0);
                assertThat(endpoints.waitBefore(endpoints.endpoints().get(0), System.currentTimeMillis()))
                        .as("held back longer than the old 5 min cap").isGreaterThan(300_000);
                assertThat(wms.requestCount(Route.REGISTER)).isEqualTo(1);
            }
        }
    }

    @Test
    void aRetryAfterLongerThanRetryAfterMaxMsIsCut() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.refuse(503, 86_400, Route.REGISTER);
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("retryAfterMaxMs", 1_000L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> wms.requestCount(Route.REGISTER) >= 1);
                wms.stopRefusing();
                gw.awaitConnected(); // a day's wait would never get here
            }
        }
    }

    @Test
    void aWmsRepeatingReregisterIsAnsweredWithBackoff() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("backoffInitialMs", 30_000L);
            config.put("backoffMaxMs", 30_000L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.awaitConnected();
                wms.sendReregister();
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.registrationCount() == 2 && gw.engine.phase() == Phase.CONNECTED);
                wms.sendReregister(); // again at once: a loop on the WMS side
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.WAITING);
                assertThat(wms.registrationCount()).as("no immediate third register").isEqualTo(2);
            }
        }
    }
}
