package site.gateway.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.status.Alert;
import site.gateway.api.status.GatewayState;
import site.gateway.testsupport.RecordingStatus;

/** Outage accounting on a synthetic clock: 1 s heartbeat interval, default grace setting (0). */
class OutageTrackerTest {
    private static final long INTERVAL = 1_000;
    private static final Grace DEFAULT = Grace.of(0, INTERVAL);
    /** Epoch milliseconds of the gateway's start; times below are offsets from it. */
    private static final long T0 = 1_764_259_200_000L;

    private final RecordingStatus status = new RecordingStatus();
    private final List<Alert> alerts = new ArrayList<>();
    private final OutageTracker tracker = new OutageTracker(status, alerts::add);

    @Test
    void aSlowFirstConnectionIsNotAnOutage() {
        tracker.start(false, T0);
        tracker.tick(T0 + 5_000, DEFAULT, INTERVAL);
        tracker.connected(T0 + 5_100, "https://wms-a", DEFAULT);

        assertThat(status.transitions).isEmpty();
        assertThat(alerts).isEmpty();
    }

    @Test
    void noFirstConnectionWithinThirtySecondsIsAnOutage() {
        tracker.start(false, T0);
        tracker.tick(T0 + 29_999, DEFAULT, INTERVAL);
        assertThat(status.transitions).isEmpty();
        tracker.tick(T0 + 30_000, DEFAULT, INTERVAL);
        assertThat(status.current().state()).isEqualTo(GatewayState.DEGRADED);

        tracker.connected(T0 + 40_000, "https://wms-a", DEFAULT);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.code()).isEqualTo("wms.unreachable");
            assertThat(a.fields()).containsEntry("outageStartTs", T0).containsEntry("outageMs", 40_000L);
        });
    }

    @Test
    void afterTheFirstConnectionOneIntervalIsEnough() {
        tracker.start(false, T0);
        tracker.connected(T0 + 2_000, "https://wms-a", DEFAULT);
        tracker.disconnected(T0 + 10_000, "closed 1006");
        tracker.tick(T0 + 11_000, DEFAULT, INTERVAL);
        assertThat(status.current().state()).isEqualTo(GatewayState.DEGRADED);

        tracker.connected(T0 + 11_500, "https://wms-b", DEFAULT);
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.fields()).containsEntry("outageMs", 1_500L));
    }

    @Test
    void aConfiguredGraceAppliesToTheFirstConnectionToo() {
        Grace configured = Grace.of(300, INTERVAL);
        tracker.start(false, T0);
        tracker.tick(T0 + 300, configured, INTERVAL);
        assertThat(status.current().state()).isEqualTo(GatewayState.DEGRADED);
    }

    /** A reconnection the gateway made on purpose (renewed certificate) is not the WMS going away. */
    @Test
    void aReconnectionOnPurposeGetsTheLongerGrace() {
        tracker.start(false, T0);
        tracker.connected(T0 + 2_000, "https://wms-a", DEFAULT);
        tracker.disconnected(T0 + 10_000, "certificate renewed", true);
        tracker.tick(T0 + 12_500, DEFAULT, INTERVAL);
        tracker.connected(T0 + 12_500, "https://wms-a", DEFAULT);
        assertThat(status.transitions).isEmpty();
        assertThat(alerts).isEmpty();

        tracker.disconnected(T0 + 20_000, "1006 closed", false);
        tracker.tick(T0 + 22_500, DEFAULT, INTERVAL);
        tracker.connected(T0 + 22_500, "https://wms-a", DEFAULT);
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.fields()).containsEntry("outageMs", 2_500L));
    }
}
