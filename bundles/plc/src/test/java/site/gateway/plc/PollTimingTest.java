package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.plc4x.java.modbus.tcp.ModbusTcpDriver;
import org.junit.jupiter.api.Test;

/**
 * Poll jitter and read latency at 100 ms polling against the local Modbus server. Also the harness for the
 * figures in docs/plc.md: {@code -Dplc.timing.polls=3000} runs longer and prints the same line.
 */
class PollTimingTest {
    private static final int POLLS = Integer.getInteger("plc.timing.polls", 100);

    @Test
    void fixedRatePollingKeepsItsIntervalAgainstTheLocalModbusServer() throws Exception {
        try (ModbusTestServer server = new ModbusTestServer(); TestPlc plc = new TestPlc().withDriver(new ModbusTcpDriver())) {
            server.start();
            plc.activate(TestPlc.config("plcId", "timing", "connection", server.connection(), "pollIntervalMs", "100",
                    "tags", "a=holding-register:1:INT,b=holding-register:2:INT,c=holding-register:3:REAL,d=coil:1",
                    "requestTimeoutMs", "1000"));
            PlcEngine engine = plc.engine();
            await().atMost(Duration.ofSeconds(POLLS / 10 + 30)).until(() -> engine.readLatency().count() >= 5);
            engine.pollIntervals().clear();
            engine.readLatency().clear();
            await().atMost(Duration.ofSeconds(POLLS / 5 + 30)).until(() -> engine.pollIntervals().count() >= POLLS);

            IntervalRecorder intervals = engine.pollIntervals();
            IntervalRecorder latency = engine.readLatency();
            System.out.printf("%nPollTimingTest: %d polls at 100 ms: interval p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                    + "read latency (4 tags) p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", intervals.count(),
                    intervals.percentileMs(50), intervals.percentileMs(99), intervals.percentileMs(100),
                    latency.percentileMs(50), latency.percentileMs(99), latency.percentileMs(100));
            assertThat(intervals.percentileMs(50)).isBetween(95.0, 105.0);
            // Generous: the build machine is shared; a fixed-rate schedule that drifted would fail this.
            assertThat(intervals.percentileMs(99)).isLessThan(300.0);
            assertThat(latency.percentileMs(50)).isLessThan(50.0);
        }
    }
}
