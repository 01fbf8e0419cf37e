package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.LedgerReport;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.Route;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * §3.1, §2.6, issue 11.5: hours of drop-oldest leave the buffer with a long history of dropped ranges (one
 * dropped message between each two kept ones: nothing merges). Neither hello nor an HTTPS batch may grow
 * with it past the 1 MiB message limit, or the gateway could never reconnect; every range still reaches the
 * WMS, which then acknowledges everything.
 */
class DropHistoryTest {
    /**
     * Two hours of one drop alert a second that each split a range would be 7,200; this is far more, at
     * seqs of 13 digits (a gateway that has run for years, or continued above a WMS's mark): sent whole,
     * they would make a hello of about 3 MB.
     */
    private static final int RANGES = 100_000;
    private static final long START = 1_000_000_000_000L;
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @AfterAll
    static void done() {
        pki = null;
    }

    private static InMemoryOutbox history(int ranges) {
        InMemoryOutbox outbox = new InMemoryOutbox();
        outbox.appendDropped(START - 1); // [1, START - 1]: merges with the first single range below
        for (int k = 0; k < ranges; k++) {
            outbox.appendDropped(1);
            outbox.appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, k);
        }
        return outbox;
    }

    @Test
    void helloStaysSmallAndTheRestOfTheRangesFollowInDroppedMessages() throws Exception {
        InMemoryOutbox outbox = history(RANGES);
        long highest = outbox.nextSeq() - 1;
        try (WmsSandbox wms = WmsSandbox.builder(pki).maxRetainedMessages(0).start();
                TestGateway gw = TestGateway.start(outbox, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
            gw.awaitConnected();
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, highest, Duration.ofSeconds(120));

            List<ReceivedMessage> hellos = wms.receivedNonDurable("hello");
            assertThat(hellos).hasSize(1);
            assertThat(hellos.get(0).json().toString().length()).as("hello bytes").isLessThan(64 * 1024);
            assertThat(hellos.get(0).json().path("dropped").size()).isEqualTo(DroppedRanges.HELLO_MAX);
            for (ReceivedMessage dropped : wms.receivedNonDurable("dropped")) {
                assertThat(dropped.json().toString().length()).as("dropped message bytes").isLessThan(512 * 1024);
            }
            LedgerReport report = wms.ledgerReport(TestGateway.GATEWAY);
            assertThat(report.announcedDropped()).as(report.summary()).isEqualTo(START - 1 + RANGES);
            assertThat(report.holes()).as(report.summary()).isZero();
            assertThat(report.stored()).isEqualTo(RANGES);
            assertThat(wms.protocolViolations()).isEmpty();
        }
    }

    @Test
    void httpsBatchesCarryTheHistoryInPiecesFarBelowOneMebibyte() throws Exception {
        InMemoryOutbox outbox = history(RANGES);
        long highest = outbox.nextSeq() - 1;
        try (WmsSandbox wms = WmsSandbox.builder(pki).maxRetainedMessages(0).start()) {
            wms.refuse(502, -1, Route.WEBSOCKET);
            try (TestGateway gw = TestGateway.start(outbox, new TestTls(pki), TestGateway.TENANT, TestGateway.fast(wms.baseUrl()))) {
                wms.awaitLastReceivedSeq(TestGateway.GATEWAY, highest, Duration.ofSeconds(180));
                LedgerReport report = wms.ledgerReport(TestGateway.GATEWAY);
                assertThat(report.announcedDropped()).as(report.summary()).isEqualTo(START - 1 + RANGES);
                assertThat(report.holes()).as(report.summary()).isZero();
                assertThat(wms.protocolViolations()).as("no batch over 1 MiB").isEmpty();
            }
        }
    }
}
