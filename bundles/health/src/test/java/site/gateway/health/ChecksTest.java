package site.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

import site.gateway.api.audit.AuditEvent;
import site.gateway.api.audit.AuditHead;
import site.gateway.api.audit.AuditTrail;
import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

class ChecksTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final HealthConfig DEFAULTS = Converters.standardConverter().convert(Map.of()).to(HealthConfig.class);

    @Test
    void bufferIsOkWhenSmallAndRecentThenWarnsAndTurnsCriticalWithAgeAndFill() {
        assertThat(buffer(new OutboxStats(10, 1000, NOW - 1000, 0, 0)).getStatus()).isEqualTo(Result.Status.OK);
        assertThat(buffer(new OutboxStats(10, 1000, NOW - 600_000, 0, 0)).getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(buffer(new OutboxStats(10, 1000, NOW - 7_200_000, 0, 0)).getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(buffer(new OutboxStats(10, BufferCheck.DEFAULT_MAX_BYTES * 85 / 100, NOW, 0, 0)).getStatus())
                .isEqualTo(Result.Status.WARN);
        assertThat(buffer(new OutboxStats(10, BufferCheck.DEFAULT_MAX_BYTES, NOW, 0, 0)).getStatus())
                .isEqualTo(Result.Status.CRITICAL);
        assertThat(new BufferCheck(DEFAULTS, () -> NOW).execute().getStatus()).isEqualTo(Result.Status.CRITICAL);
    }

    @Test
    void plcCheckFollowsTheRegistrysCurrentState() {
        PlcStatus[] state = {new PlcStatus("p1", "modbus-tcp", PlcState.CONNECTED, NOW - 1000, null)};
        PlcRegistry registry = registry(state);
        PlcCheck check = new PlcCheck("p1", () -> registry, 60, () -> NOW);
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.OK);
        state[0] = new PlcStatus("p1", "modbus-tcp", PlcState.UNREACHABLE, NOW - 1000, "connection refused");
        Result down = check.execute();
        assertThat(down.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(down.toString()).contains("connection refused");
        state[0] = new PlcStatus("p1", "modbus-tcp", PlcState.CONNECTED, NOW - 120_000, null);
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.WARN);
        assertThat(new PlcCheck("p2", () -> registry, 60, () -> NOW).execute().getStatus()).isEqualTo(Result.Status.WARN);
    }

    @Test
    void crlCheckWarnsWhenMissingOrStale() {
        Instant now = Instant.ofEpochMilli(NOW);
        CrlCheck check = new CrlCheck(() -> now);
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.WARN);
        check.tls = new FakeTls(Optional.of(now.plus(Duration.ofDays(3))));
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.OK);
        check.tls = new FakeTls(Optional.of(now.minus(Duration.ofHours(2))));
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.WARN);
        check.tls = new FakeTls(Optional.empty());
        assertThat(check.execute().toString()).contains("No CRL installed");
    }

    @Test
    void auditCheckIsCriticalWhileTheTrailReportsAProblem() {
        AuditWriterCheck check = new AuditWriterCheck();
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.CRITICAL);
        String[] problem = {null};
        check.audit = new AuditTrail() {
            @Override
            public void record(AuditEvent event) {
            }

            @Override
            public Optional<AuditHead> head() {
                return Optional.of(new AuditHead(42, "ab"));
            }

            @Override
            public Optional<String> problem() {
                return Optional.ofNullable(problem[0]);
            }
        };
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.OK);
        problem[0] = "audit trail cannot write to data/audit: No space left on device";
        assertThat(check.execute().getStatus()).isEqualTo(Result.Status.CRITICAL);
    }

    private static Result buffer(OutboxStats stats) {
        BufferCheck check = new BufferCheck(DEFAULTS, () -> NOW);
        check.outbox = new Outbox() {
            @Override
            public long append(MessageType type, byte[] json) {
                return 0;
            }

            @Override
            public List<OutboxEntry> read(long fromSeq, int maxItems) {
                return List.of();
            }

            @Override
            public void acknowledge(long upTo) {
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

            @Override
            public OutboxStats stats() {
                return stats;
            }
        };
        return check.execute();
    }

    private static PlcRegistry registry(PlcStatus[] state) {
        return new PlcRegistry() {
            @Override
            public List<PlcStatus> statuses() {
                return List.of(state[0]);
            }

            @Override
            public Optional<PlcStatus> status(String plcId) {
                return state[0].plcId().equals(plcId) ? Optional.of(state[0]) : Optional.empty();
            }

            @Override
            public Set<String> tags(String plcId) {
                return Set.of();
            }

            @Override
            public CompletionStage<List<TagValue>> read(String plcId, List<String> tags, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<List<TagWrite>> write(String plcId, List<TagWrite> writes, Duration timeout) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private record FakeTls(Optional<Instant> next) implements site.gateway.api.crypto.TlsContextProvider {
        @Override
        public javax.net.ssl.SSLContext sslContext() {
            throw new IllegalStateException();
        }

        @Override
        public List<java.security.cert.X509Certificate> clientChain() {
            return List.of();
        }

        @Override
        public boolean developmentMode() {
            return false;
        }

        @Override
        public long generation() {
            return 0;
        }

        @Override
        public void updateCrl(byte[] pemOrDer) {
        }

        @Override
        public Optional<Instant> crlNextUpdate() {
            return next;
        }
    }
}
