package site.gateway.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.Test;

import site.gateway.sandbox.WmsSandbox;

/**
 * Issue 16.4: the real distribution, started as an operator starts it, at the seed load (a simulated PLC every
 * 50 ms, about 20 messages a second) for {@code -Dsoak.minutes} (default 5, the CI run) while the WMS sandbox
 * drops the connection every {@code -Dsoak.dropSeconds} (default 60) and a Modbus PLC (a real TCP server, polled
 * by the gateway's Modbus driver every 500 ms) goes away for at least {@value #PLC_DOWN_SECONDS} s every {@code -Dsoak.plcFlapSeconds}
 * (default 90). At the end the backlog must drain and the sandbox's ledger must show 0 lost, 0 reused seqs, none
 * announced dropped; the Modbus PLC must be read again after its last return; and the gateway's threads and file
 * descriptors must be bounded: at the end no more than at the start (after the first drop and redial, so that
 * what a reconnection creates once is counted) plus a margin. That is a resource bound, not a timing assertion.
 *
 * <p>Every {@value #SAMPLE_SECONDS} s it records heap after a full GC, RSS, the store file's size, threads and
 * file descriptors: {@code target/failsafe-reports/SoakIT-samples.csv}, and a chart at {@code -Dsoak.chart}
 * (default {@code target/soak.png}). {@code tools/bench/soak.sh [minutes]} runs a longer soak and writes
 * {@code docs/images/soak.png}. Run alone: {@code mvn -B -ntp verify -pl itests -Dit.test=SoakIT}.
 */
public class SoakIT {
    private static final String GATEWAY = "gw-soak-01";
    private static final Duration MINUTES = Duration.ofMinutes(Long.getLong("soak.minutes", 5));
    private static final Duration DROP_EVERY = Duration.ofSeconds(Long.getLong("soak.dropSeconds", 60));
    private static final Duration PLC_FLAP_EVERY = Duration.ofSeconds(Long.getLong("soak.plcFlapSeconds", 90));
    private static final long PLC_DOWN_SECONDS = 20;
    private static final int SAMPLE_SECONDS = 15;
    /** Only bounds a hang: a start on a 2-core machine loaded by other builds has taken 70 s. */
    private static final Duration START = Duration.ofSeconds(240);
    private static final Duration DRAIN = Duration.ofSeconds(180);
    /** Threads a busy moment may hold beyond the start (a pool thread not yet retired, a Jetty selector). */
    private static final long THREAD_MARGIN = 10;
    /** File descriptors likewise (a connection being closed while the next one opens, a console request). */
    private static final long FD_MARGIN = 16;

    /** One sample of the gateway process; {@code delivered} is the highest seq the WMS has. */
    record Sample(double minutes, double heapMb, long rssKb, long storeBytes, long threads, long fds, long delivered) {
        String csv() {
            return String.format("%.2f,%.1f,%d,%d,%d,%d,%d", minutes, heapMb, rssKb, storeBytes, threads, fds, delivered);
        }
    }

    @Test
    public void atTheSeedLoadWithTheWmsDroppingTheGatewayLosesNothingAndItsThreadsAndFilesStayBounded() throws Exception {
        List<Sample> samples = new ArrayList<>();
        try (SiteHome site = new SiteHome(GATEWAY);
                TinyModbusServer plc = new TinyModbusServer();
                WmsSandbox wms = WmsSandbox.builder(site.pki).heartbeatIntervalSeconds(10).maxRetainedMessages(0).start()) {
            ProvisionedGateway gateway = ProvisionedGateway.start(site.home, site.config(wms, 50, Map.of("gateway.plc-soak-modbus.cfg",
                    "plcId = soak-modbus\nconnection = modbus-tcp://127.0.0.1:" + plc.port() + "\npollIntervalMs = 500\n"
                            + "tags = conveyor1.speed=holding-register:1:INT, conveyor1.load=holding-register:2:INT\n"
                            + "backoffInitialMs = 1000\nbackoffMaxMs = 5000\n")));
            PlcFlapper flapper = new PlcFlapper(plc);
            try {
                wms.awaitSession(GATEWAY, START);
                Await.until("first telemetry delivered", START, () -> DeliveryLedger.highest(wms, GATEWAY) > 10);
                Await.until("the Modbus PLC is read", START, () -> plc.answered() > 0);
                ProcessProbe probe = new ProcessProbe(gateway.process().pid());
                Instant start = Instant.now();
                int drops = drop(wms);
                Sample first = sample(probe, site.home, wms, start);
                samples.add(first);
                Instant lastDrop = Instant.now();
                Instant lastPlcFlap = Instant.now();
                while (Duration.between(start, Instant.now()).compareTo(MINUTES) < 0) {
                    TimeUnit.SECONDS.sleep(SAMPLE_SECONDS); // the sampling period, not a synchronisation
                    assertTrue("the gateway still runs", gateway.process().isAlive());
                    if (Duration.between(lastDrop, Instant.now()).compareTo(DROP_EVERY) >= 0) {
                        drops += drop(wms);
                        lastDrop = Instant.now();
                    }
                    if (Duration.between(lastPlcFlap, Instant.now()).compareTo(PLC_FLAP_EVERY) >= 0) {
                        flapper.flap();
                        lastPlcFlap = Instant.now();
                    }
                    flapper.comeBackIfDue();
                    samples.add(sample(probe, site.home, wms, start));
                }
                flapper.comeBackNow();
                long answeredAtReturn = plc.answered();
                Await.until("the Modbus PLC is read again after its last return", DRAIN, () -> plc.answered() > answeredAtReturn);
                Instant healedAt = Instant.now();
                DeliveryLedger.awaitDrained(wms, GATEWAY, "soak", healedAt, DeliveryLedger.highest(wms, GATEWAY), DRAIN);
                DeliveryLedger.assertNothingLost(wms, GATEWAY, "soak of " + MINUTES.toMinutes() + " min with " + drops + " drops");
                Sample last = sample(probe, site.home, wms, start);
                samples.add(last);
                record(samples, drops, flapper.flaps(), wms);
                assertTrue("threads bounded: " + first.threads() + " after the first redial, " + last.threads() + " at the end",
                        last.threads() <= first.threads() + THREAD_MARGIN);
                assertTrue("file descriptors bounded: " + first.fds() + " after the first redial, " + last.fds() + " at the end",
                        last.fds() <= first.fds() + FD_MARGIN);
            } catch (AssertionError | RuntimeException e) {
                throw site.failure("SoakIT", e, "\n--- ledger: " + wms.ledgerReport(GATEWAY).summary()
                        + "\n--- samples:\n" + samples.stream().map(Sample::csv).collect(Collectors.joining("\n")));
            } finally {
                gateway.close();
                site.keepLogs("SoakIT");
            }
        }
    }

    /** Drops the gateway's connections and waits until it has dialled a new session; counts as one drop. */
    private static int drop(WmsSandbox wms) {
        int sessions = wms.sessions().size();
        wms.dropConnections();
        Await.until("a new session after the drop", START, () -> wms.sessions().size() > sessions && wms.openSessionCount() > 0);
        return 1;
    }

    private static Sample sample(ProcessProbe probe, Path home, WmsSandbox wms, Instant start) throws Exception {
        Path store = home.resolve("data/buffer/outbox.mv.db");
        return new Sample(Duration.between(start, Instant.now()).toMillis() / 60_000.0, probe.heapAfterGcMb(), probe.rssKb(),
                Files.exists(store) ? Files.size(store) : 0, probe.threads(), probe.fileDescriptors(), DeliveryLedger.highest(wms, GATEWAY));
    }

    /** The samples as CSV and a chart; a summary line for docs/performance.md on standard output. */
    private static void record(List<Sample> samples, int drops, int plcFlaps, WmsSandbox wms) throws Exception {
        Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
        Files.writeString(reports.resolve("SoakIT-samples.csv"), "minutes,heapAfterGcMiB,rssKiB,storeBytes,threads,fds,highestSeq\n"
                + samples.stream().map(Sample::csv).collect(Collectors.joining("\n")) + "\n");
        String title = String.format("Soak: %d min at 20 msg/s, the WMS dropping the connection %d times, the PLC away %d times",
                MINUTES.toMinutes(), drops, plcFlaps);
        try {
            SoakChart.write(samples, title, Path.of(System.getProperty("soak.chart", "target/soak.png")));
        } catch (IOException | RuntimeException | LinkageError | InternalError noChart) { // e.g. no fonts on a bare machine: the CSV has the figures
            System.out.println("SoakIT: no chart: " + noChart);
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        System.out.printf("SoakIT: %d min, %d drops, %d PLC flaps, %s%n  start → end (max): heap after GC %.1f → %.1f (%.1f) MiB, RSS %d → %d (%d) MiB, "
                + "store %d → %d (%d) KiB, threads %d → %d (%d), fds %d → %d (%d)%n",
                MINUTES.toMinutes(), drops, plcFlaps, wms.ledgerReport(GATEWAY).summary(), first.heapMb(), last.heapMb(),
                samples.stream().mapToDouble(Sample::heapMb).max().orElse(0), first.rssKb() / 1024, last.rssKb() / 1024,
                samples.stream().mapToLong(Sample::rssKb).max().orElse(0) / 1024, first.storeBytes() / 1024, last.storeBytes() / 1024,
                samples.stream().mapToLong(Sample::storeBytes).max().orElse(0) / 1024, first.threads(), last.threads(),
                samples.stream().mapToLong(Sample::threads).max().orElse(0), first.fds(), last.fds(),
                samples.stream().mapToLong(Sample::fds).max().orElse(0));
    }

    /** Takes the Modbus PLC away for {@value #PLC_DOWN_SECONDS} s at each {@link #flap}, and brings it back. */
    private static final class PlcFlapper {
        private final TinyModbusServer plc;
        private Instant downSince;
        private int flaps;

        PlcFlapper(TinyModbusServer plc) {
            this.plc = plc;
        }

        void flap() throws IOException {
            if (downSince == null) {
                plc.stop();
                downSince = Instant.now();
                flaps++;
            }
        }

        void comeBackIfDue() throws IOException {
            if (downSince != null && Duration.between(downSince, Instant.now()).toSeconds() >= PLC_DOWN_SECONDS) {
                comeBackNow();
            }
        }

        void comeBackNow() throws IOException {
            if (downSince != null) {
                plc.restart();
                downSince = null;
            }
        }

        int flaps() {
            return flaps;
        }
    }
}
