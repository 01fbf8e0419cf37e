package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.WmsSessionListener;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** Issue 12: whatever starts late sees the current state; the first register waits for the PLCs configured at start. */
class StartupOrderTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void theFirstRegisterWaitsUntilTheConfiguredPlcsRun() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
             TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                     TestGateway.fast(wms.baseUrl()), env -> env.incomplete = "configured PLC(s) [line1] not started yet")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> gw.env.incompleteAsked.get() >= 3);
            assertThat(gw.env.bodiesBuilt.get()).as("no register body while a configured PLC is missing").isZero();
            assertThat(wms.registrations()).isEmpty();

            gw.env.incomplete = null; // the PLC runs now
            wms.awaitRegistrations(1, Duration.ofSeconds(10));
            gw.awaitConnected();
        }
    }

    @Test
    void theWaitIsBounded() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
             TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT,
                     TestGateway.fast(wms.baseUrl()), env -> env.incomplete = "an invalid PLC configuration")) {
            // Bounded by REGISTER_WAIT_MS; the await only bounds a hang.
            wms.awaitRegistrations(1, Duration.ofMillis(SessionEngine.REGISTER_WAIT_MS + 20_000));
            gw.awaitConnected();
        }
    }

    @Test
    void theOpenSessionIsAnnouncedAndWithdrawn_andALateListenerIsToldAtOnce() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.awaitConnected();
            String sessionId = gw.engine.info().sessionId();
            await().atMost(Duration.ofSeconds(5)).until(() -> gw.env.markers.contains("opened " + sessionId));

            List<String> heard = new CopyOnWriteArrayList<>();
            WmsSessionListener late = new WmsSessionListener() {
                @Override
                public void connected(SessionInfo info) {
                    heard.add("connected " + info.sessionId());
                }
            };
            gw.env.listeners.add(late);
            gw.engine.replayTo(late);
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("connected " + sessionId));

            wms.closeSessions(1011, "test");
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.env.markers.stream().anyMatch(m -> m.startsWith("closed ")));
        }
    }

    /** Issue 12.4: a new CRL or new anchors make the transport validate the open session's server again. */
    @Test
    void anOpenSessionWhoseServerIsNoLongerTrustedIsClosed() throws Exception {
        TestTls tls = new TestTls(pki);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start();
             TestGateway gw = TestGateway.start(new InMemoryOutbox(), tls, TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            gw.engine.tlsChanged(tls.changed(), false);
            await().atMost(Duration.ofSeconds(5)).until(() -> tls.revalidated.contains("localhost"));
            assertThat(gw.engine.phase()).isEqualTo(Phase.CONNECTED); // still trusted: the session stays

            tls.untrusted = "certificate CN=localhost is revoked";
            gw.engine.tlsChanged(tls.changed(), false);
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.env.audited("wms.session-untrusted", "rejected") == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.env.markers.stream()
                    .anyMatch(m -> m.startsWith("closed server certificate no longer trusted")));
        }
    }
}
