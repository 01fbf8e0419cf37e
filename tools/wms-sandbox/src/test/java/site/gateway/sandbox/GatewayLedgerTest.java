package site.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The ledger a careful WMS keeps: what it catches about loss and honesty. */
class GatewayLedgerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GatewayLedger ledger = new GatewayLedger("acme", "gw-01", 0);

    private boolean store(long seq, String body) throws Exception {
        JsonNode json = JSON.readTree("{\"seq\":" + seq + "," + body + "}");
        return ledger.store(new ReceivedMessage("acme", "gw-01", json.path("type").asText(), seq, json, Instant.now(), "ws", 1));
    }

    private static String telemetry(double value) {
        return "\"type\":\"telemetry\",\"plcId\":\"p\",\"readings\":[{\"tag\":\"t\",\"value\":" + value + "}]";
    }

    @Test
    void aResendIsADuplicateButTheSameSeqWithOtherContentIsReused() throws Exception {
        assertThat(store(1, telemetry(1))).isTrue();
        assertThat(store(2, telemetry(2))).isTrue();
        assertThat(store(1, telemetry(1))).isFalse();
        assertThat(store(2, telemetry(7))).isFalse();

        LedgerReport report = ledger.report();
        assertThat(report.duplicates()).isEqualTo(2);
        assertThat(report.reused()).isEqualTo(1);
        assertThat(report.reusedSeqs()).containsExactly(2L);
        assertThat(report.holes()).isZero();
    }

    @Test
    void holesAreSeqsNeitherStoredNorAnnouncedDropped() throws Exception {
        store(1, telemetry(1));
        store(5, telemetry(5));
        ledger.addDropped(2, 2);
        store(9, telemetry(9));

        LedgerReport report = ledger.report();
        assertThat(report.lastReceivedSeq()).isEqualTo(2);
        assertThat(report.highestSeq()).isEqualTo(9);
        assertThat(report.holes()).isEqualTo(5); // 3, 4, 6, 7, 8
        assertThat(report.firstHoles()).hasSize(2);
        assertThat(report.firstHoles().get(0)).containsExactly(3, 4);
        assertThat(report.firstHoles().get(1)).containsExactly(6, 8);

        ledger.addDropped(3, 4);
        ledger.addDropped(6, 8);
        assertThat(ledger.report().holes()).isZero();
        assertThat(ledger.lastReceivedSeq()).isEqualTo(9);
    }

    @Test
    void announcedRangesMergeAndAreCountedOnce() {
        ledger.addDropped(10, 12);
        ledger.addDropped(13, 15);
        ledger.addDropped(11, 14);
        ledger.addDropped(20, 20);

        LedgerReport report = ledger.report();
        assertThat(report.announcedDropped()).isEqualTo(7);
        assertThat(report.droppedRanges()).hasSize(2);
        assertThat(report.droppedRanges().get(0)).containsExactly(10, 15);
    }

    @Test
    void manyAnnouncedRangesStayCheap() {
        for (long k = 0; k < 200_000; k++) {
            ledger.addDropped(2 * k + 1, 2 * k + 1);
        }
        assertThat(ledger.lastReceivedSeq()).isEqualTo(1);
        assertThat(ledger.report().announcedDropped()).isEqualTo(200_000);
    }

    @Test
    void bufferDroppedAlertsAndCommandResultsAreTallied() throws Exception {
        store(1, "\"type\":\"alert\",\"code\":\"buffer.dropped\",\"count\":3,\"ranges\":[[5,6]]");
        store(2, "\"type\":\"alert\",\"code\":\"buffer.dropped\",\"count\":1,\"ranges\":[[7,7]]");
        store(3, "\"type\":\"command.result\",\"commandId\":\"c-1\",\"status\":\"succeeded\"");
        store(4, "\"type\":\"command.result\",\"commandId\":\"c-1\",\"status\":\"succeeded\"");
        store(8, "\"type\":\"command.result\",\"commandId\":\"c-2\",\"status\":\"succeeded\"");

        LedgerReport report = ledger.report();
        assertThat(report.alertedDroppedCount()).isEqualTo(4);
        assertThat(report.alertedDroppedRanges()).hasSize(1);
        assertThat(report.alertedDroppedRanges().get(0)).containsExactly(5, 7);
        assertThat(report.commandResults()).isEqualTo(2);
        assertThat(report.repeatedCommandResults()).containsExactly("c-1 x2");
    }
}
