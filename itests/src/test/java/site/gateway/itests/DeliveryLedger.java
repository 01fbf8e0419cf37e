package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import site.gateway.sandbox.LedgerReport;
import site.gateway.sandbox.WmsSandbox;

/** What the WMS sandbox's ledger says about one gateway's delivery: drained, nothing lost, nothing reused. */
final class DeliveryLedger {
    private DeliveryLedger() {
    }

    static long highest(WmsSandbox wms, String gatewayId) {
        return wms.ledgerReport(gatewayId).highestSeq();
    }

    /** Every seq up to the highest received, messages produced after {@code healedAt} among them, and a heartbeat with little buffered. */
    static void awaitDrained(WmsSandbox wms, String gatewayId, String scenario, Instant healedAt, long highestAtHeal, Duration timeout) {
        Await.until(scenario + ": the backlog drains after healing (every seq up to the highest, new ones delivered, "
                + "a heartbeat with little buffered)", timeout, () -> {
                    LedgerReport r = wms.ledgerReport(gatewayId);
                    return r.holes() == 0 && r.lastReceivedSeq() == r.highestSeq() && r.highestSeq() > highestAtHeal + 10
                            && wms.receivedNonDurable("heartbeat").stream().anyMatch(h -> h.receivedAt().isAfter(healedAt)
                                    && h.json().path("metrics").path("bufferedMessages").asLong(Long.MAX_VALUE) < 50);
                });
    }

    /** 0 lost (holes), every seq up to the highest, 0 reused, none announced dropped, no protocol violation. */
    static void assertNothingLost(WmsSandbox wms, String gatewayId, String scenario) {
        LedgerReport report = wms.ledgerReport(gatewayId);
        assertEquals(scenario + ": lost (holes): " + report.summary(), 0, report.holes());
        assertEquals(scenario + ": every seq up to the highest: " + report.summary(), report.highestSeq(), report.lastReceivedSeq());
        assertEquals(scenario + ": reused seqs: " + report.summary(), 0, report.reused());
        assertEquals(scenario + ": announced dropped: " + report.summary(), 0, report.announcedDropped());
        List<String> violations = wms.protocolViolations();
        assertTrue(scenario + ": " + violations.size() + " protocol violations, the first: "
                + violations.subList(0, Math.min(10, violations.size())), violations.isEmpty());
    }
}
