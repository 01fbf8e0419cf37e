package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.Route;
import site.gateway.sandbox.UpgradeFault;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * §2 and §4: a {@code Retry-After} holds back every request to the endpoint that sent it, not only register and
 * upgrade (ResilienceTest): the scheduled token refresh, the CRL fetch and the failback health probes answered
 * 429 are not sent there again before it has passed. Gaps are timed by the sandbox at the requests' arrival;
 * the retries these requests made before came after 1 s (token) or 300 ms (CRL refresh, health checks here).
 */
class RetryAfterEveryRequestTest {
    private static final int RETRY_AFTER_S = 3;
    /** Not before the Retry-After, less the slack of two clocks read a few ms apart. */
    private static final Duration NOT_BEFORE = Duration.ofSeconds(RETRY_AFTER_S).minusMillis(200);

    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void aScheduledTokenRefreshAnswered429IsNotRetriedBeforeItsRetryAfter() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setTokenLifetime(Duration.ofSeconds(30));
            wms.refuse(429, RETRY_AFTER_S, Route.TOKEN);
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("tokenRefreshAt", 0.1); // the first refresh 3 s after the register
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.awaitConnected();
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.TOKEN) >= 2);
                assertThat(RequestTimes.gapAfter(wms, WmsHttp.tokenPath(TestGateway.GATEWAY), 0)).isGreaterThan(NOT_BEFORE);
                wms.stopRefusing();
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.env.audited("wms.token-refreshed", "ok") >= 1);
                assertThat(wms.registrationCount()).as("refreshed beside the session, no new register").isEqualTo(1);
            }
        }
    }

    @Test
    void aCrlFetchAnswered429IsPostponedUntilItsRetryAfter() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.refuse(429, RETRY_AFTER_S, Route.CRL);
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("crlRefreshMs", 300L);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, config)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.CRL) >= 2);
                assertThat(RequestTimes.gapAfter(wms, WmsHttp.CRL, 0)).isGreaterThan(NOT_BEFORE);
                wms.stopRefusing();
                await().atMost(Duration.ofSeconds(30)).until(() -> tls.crlUpdates.get() >= 1);
            }
        }
    }

    @Test
    void aFailbackProbeAnswered429IsNotRepeatedBeforeItsRetryAfter() throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(pki).start(); WmsSandbox b = WmsSandbox.builder(pki).sharedWith(a).start()) {
            a.refuse(429, RETRY_AFTER_S, Route.REGISTER, Route.HEALTH); // the register sends the gateway to b
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                    TestGateway.fast(a.baseUrl() + "," + b.baseUrl()))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> a.requestCount(Route.HEALTH) >= 2);
                assertThat(gw.engine.info().endpoint()).isEqualTo(b.baseUrl());
                assertThat(RequestTimes.gapAfter(a, WmsHttp.HEALTH, 0)).isGreaterThan(NOT_BEFORE);
                a.stopRefusing();
                // Probing goes on once the Retry-After has passed: the gateway moves back to the first endpoint.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> a.baseUrl().equals(gw.engine.info().endpoint()) && gw.engine.phase() == Phase.CONNECTED);
            }
        }
    }

    /** In the HTTPS fallback the liveness probe (a health check every heartbeat interval) keeps the wait too. */
    @Test
    void aFallbackLivenessProbeAnswered429IsNotRepeatedBeforeItsRetryAfter() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
            wms.setUpgradeFault(UpgradeFault.RESET);
            try (TestGateway gw = TestGateway.start(wms)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.FALLBACK);
                int before = healthRequests(wms);
                wms.refuse(429, RETRY_AFTER_S, Route.HEALTH);
                await().atMost(Duration.ofSeconds(30)).until(() -> healthRequests(wms) >= before + 2);
                assertThat(RequestTimes.gapAfter(wms, WmsHttp.HEALTH, before)).isGreaterThan(NOT_BEFORE);
                wms.stopRefusing();
                gw.append(3);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 3, Duration.ofSeconds(30));
            }
        }
    }

    /** In the HTTPS fallback the WebSocket is tried again every healthCheckIntervalMs: not under a Retry-After. */
    @Test
    void aFallbackUpgradeProbeAnswered429IsNotRepeatedBeforeItsRetryAfter() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            wms.setUpgradeFault(UpgradeFault.RESET);
            try (TestGateway gw = TestGateway.start(wms)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.FALLBACK);
                wms.refuse(429, RETRY_AFTER_S, Route.WEBSOCKET);
                wms.setUpgradeFault(UpgradeFault.NONE);
                int before = requests(wms, RequestTimes.websocketPath(wms));
                await().atMost(Duration.ofSeconds(30)).until(() -> requests(wms, RequestTimes.websocketPath(wms)) >= before + 2);
                assertThat(RequestTimes.gapAfter(wms, RequestTimes.websocketPath(wms), before)).isGreaterThan(NOT_BEFORE);
                // The pause holds the fallback's batches too: one appended now goes after it.
                gw.append(1);
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, 1, Duration.ofSeconds(30));
                java.time.Instant refusedAt = at(wms, RequestTimes.websocketPath(wms), before + 1);
                assertThat(Duration.between(refusedAt, at(wms, WmsHttp.messagesPath(TestGateway.GATEWAY), 0)))
                        .isGreaterThan(NOT_BEFORE);
                wms.stopRefusing();
                await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            }
        }
    }

    private static java.time.Instant at(WmsSandbox wms, String path, int index) {
        return wms.tlsObservations().stream().filter(o -> o.path().equals(path)).toList().get(index).at();
    }

    private static int requests(WmsSandbox wms, String path) {
        return (int) wms.tlsObservations().stream().filter(o -> o.path().equals(path)).count();
    }

    private static int healthRequests(WmsSandbox wms) {
        return requests(wms, WmsHttp.HEALTH);
    }
}
