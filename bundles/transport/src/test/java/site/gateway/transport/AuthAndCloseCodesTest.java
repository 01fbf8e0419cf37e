package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.status.Severity;
import site.gateway.sandbox.Route;
import site.gateway.sandbox.SessionRecord;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** §2.1/§2.2 refusals and tokens, §3.7 reregister, §3.8 close codes. */
class AuthAndCloseCodesTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void tenantMismatchRaisesOneCriticalAlertAndBacksOffAtTheMaximum() throws Exception {
        Map<String, Object> config = TestGateway.fast(null);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            config.put("endpoints", wms.baseUrl());
            config.put("backoffMaxMs", 1500L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), "other-tenant", config)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.REGISTER) >= 2);
                // A normal retry would come after at most 50 ms; a 403 waits the maximum delay (1500 ms),
                // timed by the sandbox at the requests' arrival.
                assertThat(RequestTimes.gapAfter(wms, RequestTimes.registerPath(), 0)).isGreaterThan(Duration.ofMillis(1200));
                assertThat(wms.registrationCount()).isZero();
                assertThat(gw.env.alerts).filteredOn(a -> a.code().equals("wms.auth-rejected")).hasSize(1)
                        .allMatch(a -> a.severity() == Severity.CRITICAL);
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audited("wms.auth", "rejected") >= 2);
            }
        }
    }

    @Test
    void close4401RefreshesTheTokenAndReconnectsWithoutRegistering() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            int tokens = wms.requestCount(Route.TOKEN);
            wms.closeSessions(4401, "token expired");
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().size() == 2 && wms.sessions().get(1).open());
            assertThat(wms.requestCount(Route.TOKEN)).isEqualTo(tokens + 1);
            assertThat(wms.registrationCount()).isEqualTo(1);
            gw.append(5);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(30));
        }
    }

    @Test
    void close4409WaitsTheMaximumBackoffBeforeReconnecting() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            Instant closing = Instant.now(); // before the gateway can see the close: load only lengthens the gap
            wms.closeSessions(4409, "superseded");
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().size() == 2);
            List<SessionRecord> sessions = wms.sessions();
            assertThat(sessions.get(0).closeCode()).isEqualTo(4409);
            assertThat(Duration.between(closing, sessions.get(1).openedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(550));
            assertThat(gw.env.alerts).isEmpty();
        }
    }

    /**
     * §3.8 "do not fight: wait, then reconnect": the endpoint that superseded the session is not failing. With a
     * second endpoint and a failover deadline shorter than the wait, the gateway still goes back to the same
     * endpoint over WebSocket (before, the wait counted as the endpoint's trouble: the failover watch fired as the
     * attempt started and took it to the HTTPS fallback check or the next endpoint).
     */
    @Test
    void close4409ReconnectsToTheSameEndpointEvenWithAnotherOne() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            Map<String, Object> config = TestGateway.fast(a.baseUrl() + "," + b.baseUrl());
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                a.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
                gw.awaitConnected();
                config.put("failoverAfterMs", 300L); // shorter than the 600 ms wait after a 4409 (set once connected)
                gw.engine.update(TestGateway.settings(config));
                a.closeSessions(4409, "superseded");
                await().atMost(Duration.ofSeconds(30)).until(() -> a.sessions().size() >= 2
                        && a.openSession(TestGateway.GATEWAY) != null);
                List<SessionRecord> sessions = a.sessions();
                assertThat(sessions).hasSize(2);
                assertThat(sessions.get(0).closeCode()).isEqualTo(4409);
                assertThat(sessions.get(1).node()).as("the same endpoint").isEqualTo(a.port());
                gw.append(5);
                a.awaitLastReceivedSeq(TestGateway.GATEWAY, 5, Duration.ofSeconds(30));
                assertThat(a.receivedDurable(TestGateway.GATEWAY)).noneMatch(m -> m.via().equals("https"));
                assertThat(gw.engine.info().failovers()).isZero();
                assertThat(gw.env.audits).as("no HTTPS fallback").noneMatch(x -> x.action().equals("wms.http-fallback"));
            }
        }
    }

    @Test
    void close4403RaisesACriticalAlertAndBacksOffAtTheMaximum() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            Instant closing = Instant.now(); // before the gateway can see the close: load only lengthens the gap
            wms.closeSessions(4403, "forbidden");
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().size() == 2);
            List<SessionRecord> sessions = wms.sessions();
            assertThat(Duration.between(closing, sessions.get(1).openedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(550));
            assertThat(gw.env.alerts).anyMatch(a -> a.code().equals("wms.auth-rejected") && a.severity() == Severity.CRITICAL);
        }
    }

    @Test
    void tokenRefreshKeepsTheWebSocket() throws Exception {
        // Refresh at half the lifetime: 2 s for a refresh to complete before the session would be closed,
        // which a busy machine still manages (at the default 0.8 of 2 s it had 400 ms).
        try (WmsSandbox wms = WmsSandbox.builder(pki).tokenLifetime(Duration.ofSeconds(4)).closeOnTokenExpiry(true).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                        withTokenRefreshAt(TestGateway.fast(wms.baseUrl()), 0.5))) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.TOKEN) >= 3
                    && gw.env.audited("wms.token-refreshed", "ok") >= 3);
            assertThat(wms.sessions()).hasSize(1);
            assertThat(wms.sessions().get(0).open()).isTrue();
            assertThat(gw.env.audited("wms.token-refreshed", "ok")).isGreaterThanOrEqualTo(3);
            gw.append(3);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
        }
    }

    @Test
    void expiredTokenMeansRegisteringAgain() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).tokenLifetime(Duration.ofSeconds(60)).start();
                TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            wms.expireTokensNow();
            wms.closeSessions(4401, "token expired"); // refresh answers 401 → register again (§2.2)
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.registrationCount() == 2
                    && wms.openSession(TestGateway.GATEWAY) != null);
            assertThat(gw.env.audited("wms.token-refreshed", "rejected")).isEqualTo(1);
        }
    }

    @Test
    void reregisterRegistersAgainAndReconnects() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            wms.sendReregister();
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.registrationCount() == 2 && wms.sessions().size() == 2
                    && wms.sessions().get(1).open());
            gw.append(2);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 2, Duration.ofSeconds(30));
        }
    }

    @Test
    void normalClosesReconnectWithBackoff() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            wms.awaitSession(TestGateway.GATEWAY, Duration.ofSeconds(30));
            gw.awaitConnected();
            for (int code : new int[] {1000, 1001, 1012}) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
                int before = wms.sessions().size();
                wms.closeSessions(code, "test");
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().size() == before + 1
                        && wms.sessions().get(before).open());
            }
            assertThat(wms.registrationCount()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.info().reconnects() == 3);
        }
    }

    private static Map<String, Object> withTokenRefreshAt(Map<String, Object> config, double fraction) {
        config.put("tokenRefreshAt", fraction);
        return config;
    }
}
