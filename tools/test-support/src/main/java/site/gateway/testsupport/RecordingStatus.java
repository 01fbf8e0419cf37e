package site.gateway.testsupport;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.StatusSnapshot;

/** Degraded while any source has a problem, like the core's StatusBoard; records each change of state. */
public final class RecordingStatus implements GatewayStatus {
    private final Map<String, String> problems = new TreeMap<>();
    public final List<GatewayState> transitions = new CopyOnWriteArrayList<>();

    @Override
    public synchronized StatusSnapshot current() {
        return new StatusSnapshot(problems.isEmpty() ? GatewayState.OPERATIONAL : GatewayState.DEGRADED,
                String.join("; ", problems.values()), System.currentTimeMillis());
    }

    @Override
    public synchronized void report(String source, String problem) {
        GatewayState before = current().state();
        if (problem == null) {
            problems.remove(source);
        } else {
            problems.put(source, problem);
        }
        GatewayState after = current().state();
        if (after != before) {
            transitions.add(after);
        }
    }

    /** The current problem of one source, or null. */
    public synchronized String problem(String source) {
        return problems.get(source);
    }

    /** A copy of the current problems by source. */
    public synchronized Map<String, String> problems() {
        return new TreeMap<>(problems);
    }
}
