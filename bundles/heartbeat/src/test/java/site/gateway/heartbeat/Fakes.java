package site.gateway.heartbeat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;

/** Small stand-ins for the API services the heartbeat uses. */
final class Fakes {
    private Fakes() {
    }

    static final class Session implements WmsSession {
        final List<String> sent = new CopyOnWriteArrayList<>();
        volatile SessionInfo info = info(SessionState.DISCONNECTED, 0, 0, 10);

        static SessionInfo info(SessionState state, long connectedSince, long reconnects, int interval) {
            return new SessionInfo(state, "https://wms-a.example:8443", "s-1", connectedSince, reconnects, interval,
                    12.5, 0);
        }

        @Override
        public SessionInfo info() {
            return info;
        }

        @Override
        public boolean send(String json) {
            if (info.state() != SessionState.CONNECTED) {
                return false;
            }
            sent.add(json);
            return true;
        }
    }

    /** Degraded while any source has a problem, like the core's StatusBoard. */
    static final class Status implements GatewayStatus {
        final Map<String, String> problems = new TreeMap<>();
        final List<GatewayState> transitions = new CopyOnWriteArrayList<>();

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

        synchronized String problem(String source) {
            return problems.get(source);
        }
    }

    static final class Buffer implements Outbox {
        volatile OutboxStats stats = new OutboxStats(0, 0, 0, 0, 0);

        @Override
        public OutboxStats stats() {
            return stats;
        }

        @Override
        public long append(MessageType type, byte[] json) {
            throw new UnsupportedOperationException("the heartbeat must not append");
        }

        @Override
        public List<OutboxEntry> read(long fromSeq, int maxItems) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void acknowledge(long upTo) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long lastAckedSeq() {
            return 0;
        }

        @Override
        public long nextSeq() {
            return 1;
        }

        @Override
        public List<SeqRange> droppedRanges() {
            return List.of();
        }
    }

    static final class Plcs implements PlcRegistry {
        volatile List<PlcStatus> statuses = List.of();

        @Override
        public List<PlcStatus> statuses() {
            return statuses;
        }

        @Override
        public Optional<PlcStatus> status(String plcId) {
            return statuses.stream().filter(s -> s.plcId().equals(plcId)).findFirst();
        }

        @Override
        public Set<String> tags(String plcId) {
            return Set.of();
        }

        @Override
        public CompletionStage<List<TagValue>> read(String plcId, List<String> tags, java.time.Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<List<TagWrite>> write(String plcId, List<TagWrite> writes, java.time.Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }
}
