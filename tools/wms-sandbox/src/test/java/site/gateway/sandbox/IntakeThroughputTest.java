package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox must not be what limits a gateway's throughput measurement: parsing, validating and
 * deduplicating a ~300-byte telemetry message costs about a microsecond of CPU. Measured in CPU time
 * of this thread, so a busy machine does not make it flaky.
 */
class IntakeThroughputTest {

    @Test
    void storesBatchedTelemetryFarFasterThanTheGatewayTarget() throws Exception {
        String[] frames = new String[100];
        for (int b = 0; b < frames.length; b++) {
            frames[b] = Messages.batch(b * 1000L + 1, (b + 1) * 1000L);
        }
        run(frames); // warm-up
        double perSecond = run(frames);
        System.out.printf("Sandbox intake: %.0f messages/s per core of CPU time (parse, validate, dedup, retain)%n", perSecond);
    }

    private static double run(String[] frames) throws Exception {
        WmsState state = new WmsState(Duration.ofHours(1), 200_000);
        GatewayLedger ledger = state.ledger("acme", "gw-01");
        Intake intake = new Intake(state, ledger, "ws", 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (String frame : frames) {
            JsonNode batch = Json.parse(frame);
            assertThat(intake.accept(batch.get("items"))).isEmpty();
        }
        long cpuNanos = threads.getCurrentThreadCpuTime() - start;
        assertThat(ledger.lastReceivedSeq()).isEqualTo(frames.length * 1000L);
        return frames.length * 1000 / (cpuNanos / 1e9);
    }
}
