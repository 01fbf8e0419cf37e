package site.gateway.core.status;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.GatewayStatusListener;
import site.gateway.api.status.StatusSnapshot;

/**
 * The gateway's state: degraded while any source reports a problem, shutting-down once the framework
 * stops this component. Listeners are told of every change.
 */
@Component(service = GatewayStatus.class, immediate = true)
public class StatusBoard implements GatewayStatus {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    private final Map<String, String> problems = new TreeMap<>();
    private final List<GatewayStatusListener> listeners = new CopyOnWriteArrayList<>();
    private StatusSnapshot current = new StatusSnapshot(GatewayState.OPERATIONAL, "", System.currentTimeMillis());

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(GatewayStatusListener listener) {
        listeners.add(listener);
    }

    void removeListener(GatewayStatusListener listener) {
        listeners.remove(listener);
    }

    @Override
    public synchronized StatusSnapshot current() {
        return current;
    }

    @Override
    public void report(String source, String problem) {
        StatusSnapshot changed;
        synchronized (this) {
            if (current.state() == GatewayState.SHUTTING_DOWN) {
                return;
            }
            String previous = problem == null ? problems.remove(source) : problems.put(source, problem);
            if (java.util.Objects.equals(previous, problem)) {
                return;
            }
            GatewayState state = problems.isEmpty() ? GatewayState.OPERATIONAL : GatewayState.DEGRADED;
            String reason = problems.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; "));
            changed = new StatusSnapshot(state, reason, System.currentTimeMillis());
            current = changed;
        }
        LOG.info("Gateway status {}{}", changed.state().wireName(), changed.reason().isEmpty() ? "" : " (" + changed.reason() + ")");
        notifyListeners(changed);
    }

    @Deactivate
    void deactivate() {
        StatusSnapshot last;
        synchronized (this) {
            last = new StatusSnapshot(GatewayState.SHUTTING_DOWN, "gateway stopping", System.currentTimeMillis());
            current = last;
        }
        LOG.info("Gateway status shutting-down");
        notifyListeners(last);
    }

    private void notifyListeners(StatusSnapshot snapshot) {
        for (GatewayStatusListener listener : listeners) {
            try {
                listener.statusChanged(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("Status listener {} failed", listener, e);
            }
        }
    }
}
