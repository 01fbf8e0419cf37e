package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.LedgerReport;
import site.gateway.sandbox.Route;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 11.4, §3.1–§3.2: the WMS holds seqs the gateway no longer knows (its data folder was lost, a backup
 * restored). The gateway must number its new messages above the WMS's mark, or the WMS would take them
 * for resends of what it has and deduplicate them away. Messages still held are not lost: the outbox
 * renumbers them above the mark (as the storage bundle does; InMemoryOutbox models it).
 */
class WmsAheadTest {
    private static final int BEFORE = 500;
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @AfterAll
    static void done() {
        pki = null;
    }

    /** The gateway's first life: {@link #BEFORE} messages stored by the WMS. */
    private static void firstLife(WmsSandbox wms) throws Exception {
        try (TestGateway gw = TestGateway.start(wms)) {
            gw.append(BEFORE);
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, BEFORE, Duration.ofSeconds(20));
        }
    }

    private static void assertContinuesAbove(WmsSandbox wms, TestGateway gw) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.outbox().continuedAbove() == BEFORE);
        assertThat(gw.outbox().nextSeq()).isGreaterThan(BEFORE);
        gw.append(10);
        // The 20 messages held before the welcome (renumbered by the outbox) and the 10 new ones.
        wms.awaitLastReceivedSeq(TestGateway.GATEWAY, BEFORE + 30, Duration.ofSeconds(20));

        LedgerReport report = wms.ledgerReport(TestGateway.GATEWAY);
        assertThat(report.stored()).as(report.summary()).isEqualTo(BEFORE + 30);
        assertThat(report.reused()).as(report.summary()).isZero();
        assertThat(report.holes()).as(report.summary()).isZero();
        assertThat(report.highestSeq()).isEqualTo(BEFORE + 30);
        assertThat(gw.env.audited("wms.ahead", "continued")).isEqualTo(1);
    }

    @Test
    void aGatewayThatLostItsDataContinuesAboveTheWmsMark() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            firstLife(wms);
            InMemoryOutbox fresh = new InMemoryOutbox(); // the data folder is gone: seqs start at 1 again
            for (int i = 0; i < 20; i++) {
                fresh.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, 1000 + i);
            }
            try (TestGateway gw = TestGateway.start(fresh, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
                gw.awaitConnected();
                assertContinuesAbove(wms, gw);
            }
        }
    }

    @Test
    void theSameOverTheHttpsFallback() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            firstLife(wms);
            wms.refuse(502, -1, Route.WEBSOCKET);
            InMemoryOutbox fresh = new InMemoryOutbox();
            for (int i = 0; i < 20; i++) {
                fresh.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, 1000 + i);
            }
            try (TestGateway gw = TestGateway.start(fresh, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> gw.engine.phase() == Phase.FALLBACK);
                assertContinuesAbove(wms, gw);
            }
        }
    }
}
