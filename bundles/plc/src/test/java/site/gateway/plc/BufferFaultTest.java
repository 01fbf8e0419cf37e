package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.plc4x.java.simulated.SimulatedDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxFullException;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.TagWrite;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.testsupport.RecordingAudit;
import site.gateway.testsupport.RecordingStatus;

/**
 * Issue 11.7: a buffer fault is not a PLC fault. An outbox that throws keeps the PLC session up and is
 * reported once as a buffer error; a change the buffer refused is offered again.
 */
class BufferFaultTest {
    /** Delegates to a MemoryOutbox, or fails as told. */
    static final class FaultyOutbox implements Outbox {
        final MemoryOutbox memory = new MemoryOutbox();
        final AtomicReference<String> failWith = new AtomicReference<>();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public long append(MessageType type, byte[] json) throws OutboxFullException {
            String mode = failWith.get();
            if ("full".equals(mode)) {
                refused.incrementAndGet();
                throw new OutboxFullException("buffer full, policy reject-new");
            }
            if (mode != null) {
                refused.incrementAndGet();
                throw new IllegalStateException(mode);
            }
            return memory.append(type, json);
        }

        @Override
        public List<OutboxEntry> read(long fromSeq, int maxItems) {
            return memory.read(fromSeq, maxItems);
        }

        @Override
        public void acknowledge(long upTo) {
            memory.acknowledge(upTo);
        }

        @Override
        public long lastAckedSeq() {
            return memory.lastAckedSeq();
        }

        @Override
        public long nextSeq() {
            return memory.nextSeq();
        }

        @Override
        public List<SeqRange> droppedRanges() {
            return memory.droppedRanges();
        }

        @Override
        public OutboxStats stats() {
            return memory.stats();
        }
    }

    final FaultyOutbox outbox = new FaultyOutbox();
    final RecordingAlerts alerts = new RecordingAlerts();
    final RecordingStatus status = new RecordingStatus();
    final PlcComponent component = new PlcComponent(new FixedIdentity("acme", "gw-test-01"), outbox, alerts, status,
            new RecordingAudit());

    @AfterEach
    void stop() {
        component.deactivate();
    }

    private void start(Object... extra) {
        SimulatedDriver driver = new SimulatedDriver();
        component.addDriver(driver, java.util.Map.of(DriverServices.DRIVER_CODE, driver.getProtocolCode()), driver);
        Object[] base = {"plcId", "sim-1", "connection", "simulated://sim-1", "pollIntervalMs", "50",
                "tags", "line.target=STATE/line_target:DINT, line.speed=RANDOM/line_speed:REAL"};
        Object[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        java.util.Map<String, Object> props = TestPlc.config(all);
        component.activate(null, TestPlc.convert(props), props);
        await().atMost(Duration.ofSeconds(10)).until(() -> component.engine().status().state() == PlcState.CONNECTED);
    }

    @Test
    void anOutboxThatThrowsIsABufferErrorAndThePlcStaysConnected() {
        start();
        long attemptsBefore = component.engine().connectAttempts();
        outbox.failWith.set("buffer unavailable: disk gone");
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.refused.get() >= 5);

        assertThat(component.engine().status().state()).as("the PLC is not blamed").isEqualTo(PlcState.CONNECTED);
        assertThat(component.engine().connectAttempts()).as("no reconnect").isEqualTo(attemptsBefore);
        assertThat(status.problem("plc:sim-1")).isNull();
        assertThat(status.problem(PlcComponent.bufferSource("sim-1"))).contains("buffer error");
        assertThat(alerts.withCode("buffer.error")).as("once, not per reading").hasSize(1);
        assertThat(alerts.withCode("plc.unreachable")).isEmpty();

        outbox.failWith.set(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> !outbox.memory.messages(MessageType.TELEMETRY).isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> status.problem(PlcComponent.bufferSource("sim-1")) == null);
    }

    @Test
    void aChangeRefusedByAFullBufferIsSentOnceThereIsRoom() throws Exception {
        start("reportOnChange", "true");
        component.write(List.of(new TagWrite("line.target", 1)), Duration.ofSeconds(5)).toCompletableFuture().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.memory.lastReading("line.target") != null);
        outbox.failWith.set("full");
        component.write(List.of(new TagWrite("line.target", 7)), Duration.ofSeconds(5)).toCompletableFuture().get();
        int refusedAtWrite = outbox.refused.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.refused.get() > refusedAtWrite);
        outbox.failWith.set(null);
        // The value does not change again: only a retry of the refused change brings it to the buffer.
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.memory.lastReading("line.target").get("value").asInt() == 7);
        assertThat(component.engine().status().state()).isEqualTo(PlcState.CONNECTED);
    }
}
