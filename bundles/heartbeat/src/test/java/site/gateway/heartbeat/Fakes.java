package site.gateway.heartbeat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSession;

/** Small stand-ins for the API services the heartbeat uses. */
final class Fakes {
    private Fakes() {
    }

    /** The transport's marker of an open session, as it would be registered and then withdrawn. */
    static final class Open implements site.gateway.api.wms.WmsSessionOpen {
        final SessionInfo opened;
        volatile String closeReason;
        volatile boolean closedOnPurpose;

        @Override
        public boolean closedOnPurpose() {
            return closedOnPurpose;
        }

        Open(SessionInfo opened) {
            this.opened = opened;
        }

        @Override
        public SessionInfo opened() {
            return opened;
        }

        @Override
        public String closeReason() {
            return closeReason;
        }
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

        /** A heartbeat from the WMS arrived at {@code ts}: the transport shows it in the session's state. */
        void heardFromWms(long ts) {
            SessionInfo i = info;
            info = new SessionInfo(i.state(), i.endpoint(), i.sessionId(), i.connectedSinceTs(), i.reconnects(),
                    i.heartbeatIntervalSeconds(), i.sentPerSecond(), ts, i.transport(), i.messagesResent(),
                    i.failovers(), ts);
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

    /** Only the stats the test sets: the heartbeat reads them and must never append. */
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
