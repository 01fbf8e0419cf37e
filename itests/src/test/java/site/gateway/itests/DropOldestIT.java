package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import site.gateway.sandbox.LedgerReport;
import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;

/**
 * Issue 11.1 on the real distribution: a small buffer under {@code drop-oldest}, telemetry every 20 ms, the
 * WMS down long enough for the buffer to drop, then back. Afterwards every seq from 1 to the highest is
 * either stored by the WMS or announced dropped (no hole), the backlog drains, and the ranges reported
 * by {@code buffer.dropped} alerts are exactly the ranges announced in {@code hello}/{@code dropped}.
 */
public class DropOldestIT {
    private static final String GATEWAY = "gw-drop-01";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration DRAIN = Duration.ofSeconds(120);

    @Test
    public void afterADropOldestEpisodeEverySeqIsDeliveredOrAnnouncedAndAlertsAgree() throws Exception {
        try (SiteHome site = new SiteHome(GATEWAY);
                WmsSandbox wms = WmsSandbox.builder(site.pki).heartbeatIntervalSeconds(1).maxRetainedMessages(0).start();
                ProvisionedGateway gateway = ProvisionedGateway.start(site.home, site.config(wms, 20, Map.of(
                        "gateway.buffer.cfg", "maxBytes = 32768\nwhenFull = drop-oldest\n")))) {
            try {
                run(site, wms, gateway);
            } catch (AssertionError | RuntimeException e) {
                LedgerReport r = wms.ledgerReport(GATEWAY);
                throw new AssertionError(e.getMessage() + "\n--- ledger: " + r.summary() + "\n--- announced "
                        + SiteHome.pairs(r.droppedRanges()) + "\n--- alerted " + SiteHome.pairs(r.alertedDroppedRanges())
                        + "\n--- last lines of logs/gateway.log ---\n" + site.logTail(60), e);
            } finally {
                site.keepLogs("DropOldestIT");
            }
        }
    }

    private static void run(SiteHome site, WmsSandbox wms, ProvisionedGateway gateway) throws Exception {
        wms.awaitSession(GATEWAY, START);
        wms.awaitLastReceivedSeq(GATEWAY, 50, START);

        wms.goOffline();
        Await.until("the full buffer drops (buffer.dropped alert in the log)", START,
                () -> site.log().contains("buffer.dropped"));
        // The outage goes on: 5 s more of telemetry every 20 ms into the full buffer (the scenario's length,
        // not a wait for something to happen; the gateway must stay up meanwhile).
        assertTrue("the gateway keeps running", !gateway.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
        Instant back = Instant.now();
        wms.goOnline();

        Await.until("the backlog drains: every seq up to the highest stored or announced, alerts equal announcements", DRAIN, () -> {
            LedgerReport r = wms.ledgerReport(GATEWAY);
            return r.holes() == 0 && r.lastReceivedSeq() == r.highestSeq() && r.announcedDropped() > 0
                    && sameRanges(r.alertedDroppedRanges(), r.droppedRanges()) && drained(wms, back);
        });

        LedgerReport report = wms.ledgerReport(GATEWAY);
        assertEquals("no seq given to two messages: " + report.summary(), 0, report.reused());
        assertEquals("no hole: " + report.summary(), 0, report.holes());
        assertTrue("drops happened: " + report.summary(), report.announcedDropped() > 0);
        assertTrue("alerted ranges " + SiteHome.pairs(report.alertedDroppedRanges()) + " equal the announced "
                + SiteHome.pairs(report.droppedRanges()), sameRanges(report.alertedDroppedRanges(), report.droppedRanges()));
        assertEquals("buffer.dropped counts add up to the announced seqs: " + report.summary(),
                report.announcedDropped(), report.alertedDroppedCount());
        for (ReceivedMessage hello : wms.receivedNonDurable("hello")) {
            assertTrue("hello far below 1 MiB", hello.json().toString().length() < 64 * 1024);
        }
        assertTrue("protocol violations: " + wms.protocolViolations(), wms.protocolViolations().isEmpty());
        System.out.println("DropOldestIT: " + report.summary());
    }

    /** A heartbeat after the WMS came back reports (almost) nothing buffered. */
    private static boolean drained(WmsSandbox wms, Instant since) {
        List<ReceivedMessage> beats = wms.receivedNonDurable("heartbeat");
        return beats.stream().anyMatch(b -> b.receivedAt().isAfter(since)
                && b.json().path("metrics").path("bufferedMessages").asLong(Long.MAX_VALUE) < 100);
    }

    private static boolean sameRanges(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
                return false;
            }
        }
        return true;
    }
}
