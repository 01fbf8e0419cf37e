package site.gateway.itests;

import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import site.gateway.chaos.ChaosProxy;
import site.gateway.chaos.Fault;
import site.gateway.sandbox.WmsSandbox;

/**
 * Issue 16.3: the real distribution, started as an operator starts it, talks to the WMS sandbox through
 * {@link ChaosProxy} (its {@code endpoints} is the proxy's port; TLS passes through the proxy untouched)
 * while a simulated PLC produces telemetry every 50 ms. One fault after the other: latency, a bandwidth
 * limit, slow-loris reads, resets and a half-open black hole. Each fault is held until it has visibly
 * acted (the gateway delivered through it, or gave up on a dead connection and dialled again), then
 * lifted; after each, the backlog must drain and the sandbox's ledger must show 0 lost (holes), 0 reused
 * seqs, none announced dropped and no protocol violation.
 *
 * <p>Timeouts only bound a hang. Run alone: {@code mvn -B -ntp verify -pl itests -Dit.test=ChaosIT}.
 */
public class ChaosIT {
    private static final String GATEWAY = "gw-chaos-01";
    /** Only bounds a hang: a start on a 2-core machine loaded by other builds has taken 70 s. */
    private static final Duration START = Duration.ofSeconds(240);
    private static final Duration ACTS = Duration.ofSeconds(90);
    private static final Duration DRAIN = Duration.ofSeconds(120);

    /** One row of the matrix: the fault, and what shows it acted on the gateway's traffic. */
    private record Scenario(String name, Fault fault, String evidence, Evidence acted) {
    }

    @FunctionalInterface
    private interface Evidence {
        boolean seen(ChaosProxy proxy, WmsSandbox wms, Baseline before);
    }

    /** The proxy's and the ledger's counters when the fault was put in force. */
    private record Baseline(long highestSeq, long reads, long resets, long swallowed) {
        static Baseline of(ChaosProxy proxy, WmsSandbox wms) {
            return new Baseline(wms.ledgerReport(GATEWAY).highestSeq(), proxy.readCount(), proxy.resetCount(), proxy.swallowedCount());
        }
    }

    /**
     * Each fault is held long enough to build a backlog (the PLC produces about 20 messages a second), and
     * until it has acted: the gateway delivered through it, or gave up on what it swallowed and dialled again.
     */
    private static final List<Scenario> MATRIX = List.of(
            new Scenario("latency 300 ms", Fault.latency(Duration.ofMillis(300)),
                    "100 more messages delivered through the slow link", (p, w, b) -> highest(w) >= b.highestSeq() + 100),
            new Scenario("bandwidth 4 KiB/s", Fault.bandwidth(4096),
                    "60 more messages delivered through the narrow link", (p, w, b) -> highest(w) >= b.highestSeq() + 60),
            new Scenario("slow-loris reads, 2 ms a byte", Fault.slowLoris(Duration.ofMillis(2)),
                    "4,000 one-byte reads and 20 more messages", (p, w, b) -> p.readCount() >= b.reads() + 4_000
                            && highest(w) >= b.highestSeq() + 20),
            new Scenario("resets", Fault.reset(),
                    "the open session and four redials reset", (p, w, b) -> p.resetCount() >= b.resets() + 5),
            new Scenario("half-open black hole", Fault.blackHole(),
                    "the open session swallowed and detected dead (no frame for 3 heartbeat intervals), "
                            + "then two redials swallowed (the first one given up after requestTimeoutMs)",
                    (p, w, b) -> p.swallowedCount() >= b.swallowed() + 3));

    @Test
    public void underEachNetworkFaultTheGatewayLosesNothingReusesNothingAndDrainsAfterwards() throws Exception {
        List<String> table = new ArrayList<>();
        try (SiteHome site = new SiteHome(GATEWAY);
                WmsSandbox wms = WmsSandbox.builder(site.pki).heartbeatIntervalSeconds(1).maxRetainedMessages(0).start();
                ChaosProxy proxy = ChaosProxy.start(new InetSocketAddress("localhost", wms.port()))) {
            Map<String, String> extra = new HashMap<>();
            // The sandbox's certificate names localhost: the gateway dials the proxy by that name.
            extra.put("gateway.wms.cfg", "endpoints = https://localhost:" + proxy.port() + "\nbackoffInitialMs = 100\nbackoffMaxMs = 1000\n");
            ProvisionedGateway gateway = ProvisionedGateway.start(site.home, site.config(wms, 50, extra));
            try {
                wms.awaitSession(GATEWAY, START);
                Await.until("first telemetry delivered", START, () -> highest(wms) > 10);
                for (Scenario scenario : MATRIX) {
                    Baseline before = Baseline.of(proxy, wms);
                    Instant faultAt = Instant.now();
                    proxy.setFault(scenario.fault());
                    Await.until(scenario.name() + ": " + scenario.evidence() + " (" + proxy + ")", ACTS,
                            () -> scenario.acted().seen(proxy, wms, before));
                    Instant healedAt = Instant.now();
                    long highestAtHeal = highest(wms);
                    proxy.setFault(Fault.none());
                    awaitDrained(wms, scenario.name(), healedAt, highestAtHeal);
                    Instant drainedAt = Instant.now();
                    assertLedger(wms, scenario.name());
                    table.add(String.format("%-32s fault held %5.1f s, drained %5.1f s after healing; %s",
                            scenario.name(), seconds(faultAt, healedAt), seconds(healedAt, drainedAt), wms.ledgerReport(GATEWAY).summary()));
                    assertTrue("the gateway still runs after " + scenario.name(), gateway.process().isAlive());
                }
                System.out.println("ChaosIT: " + proxy + "\n  " + String.join("\n  ", table));
            } catch (AssertionError | RuntimeException e) {
                List<String> violations = wms.protocolViolations();
                throw site.failure("ChaosIT", e, "\n--- " + proxy + "\n--- ledger: " + wms.ledgerReport(GATEWAY).summary()
                        + "\n--- scenarios passed:\n  " + String.join("\n  ", table)
                        + "\n--- " + violations.size() + " violations, the first: " + violations.subList(0, Math.min(10, violations.size())));
            } finally {
                gateway.close();
                site.keepLogs("ChaosIT");
            }
        }
    }

    private static void awaitDrained(WmsSandbox wms, String scenario, Instant healedAt, long highestAtHeal) {
        DeliveryLedger.awaitDrained(wms, GATEWAY, scenario, healedAt, highestAtHeal, DRAIN);
    }

    private static void assertLedger(WmsSandbox wms, String scenario) {
        DeliveryLedger.assertNothingLost(wms, GATEWAY, scenario);
    }

    private static long highest(WmsSandbox wms) {
        return DeliveryLedger.highest(wms, GATEWAY);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
