package site.gateway.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;
import site.gateway.api.stats.LatencyRecorder;

/** Time from a command's arrival to its outcome, one histogram per outcome (for {@link CommandStats}). */
final class CommandLatency {
    /** A rejection takes well under a millisecond; a queued command may wait up to its lifetime (minutes). */
    static final double[] BOUNDS_SECONDS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    static final List<String> OUTCOMES = List.of(CommandStats.REJECTED, CommandStats.SUCCEEDED, CommandStats.FAILED,
            CommandStats.TIMED_OUT, CommandStats.EXPIRED);

    private final Map<String, LatencyRecorder> byOutcome = new LinkedHashMap<>();

    CommandLatency() {
        for (String outcome : OUTCOMES) {
            byOutcome.put(outcome, new LatencyRecorder(BOUNDS_SECONDS));
        }
    }

    /** @param outcome one of {@link #OUTCOMES} */
    void record(String outcome, long arrivedNanos) {
        LatencyRecorder recorder = byOutcome.get(outcome);
        if (recorder == null) {
            throw new IllegalArgumentException("unknown outcome " + outcome);
        }
        recorder.recordNanos(System.nanoTime() - arrivedNanos);
    }

    Map<String, LatencyHistogram> snapshot() {
        Map<String, LatencyHistogram> out = new LinkedHashMap<>();
        byOutcome.forEach((outcome, recorder) -> out.put(outcome, recorder.snapshot()));
        return out;
    }
}
