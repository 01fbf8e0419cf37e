package site.gateway.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.status.Alert;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;

/** Issue 12: an alert raised before the outbox exists is delivered once it comes, in order; none is "logged only". */
class AlertPublisherTest {
    private final AlertPublisher publisher = new AlertPublisher(new FixedIdentity("acme", "gw-1"));
    private final MemoryOutbox outbox = new MemoryOutbox();

    @Test
    void alertsRaisedBeforeTheOutbox_areAppendedInOrderWhenItBinds() throws Exception {
        publisher.raise(Alert.warning("crl.stale", "no CRL"));
        publisher.raise(Alert.critical("crypto.key-unreadable", "bad key"));
        publisher.flush();
        assertThat(publisher.waiting()).isEqualTo(2);

        publisher.useOutbox(outbox);
        publisher.raise(Alert.warning("plc.unreachable", "after"));
        publisher.flush();

        assertThat(codes()).containsExactly("crl.stale", "crypto.key-unreadable", "plc.unreachable");
        assertThat(publisher.waiting()).isZero();
        JsonNode first = outbox.messages(MessageType.ALERT).get(0);
        assertThat(first.path("gatewayId").asText()).isEqualTo("gw-1");
        assertThat(first.path("severity").asText()).isEqualTo("warning");
    }

    @Test
    void anAlertRaisedAfterTheOutboxLeft_waitsForTheNextOne() throws Exception {
        publisher.useOutbox(outbox);
        publisher.noOutbox(outbox);
        publisher.raise(Alert.warning("wms.unreachable", "while the buffer restarts"));
        MemoryOutbox next = new MemoryOutbox();
        publisher.useOutbox(next);
        publisher.flush();
        assertThat(outbox.messages(MessageType.ALERT)).isEmpty();
        assertThat(next.messages(MessageType.ALERT)).hasSize(1);
    }

    @Test
    void beyondTheBound_theLostAreCountedInOneAlert() throws Exception {
        for (int i = 0; i < AlertPublisher.MAX_WAITING + 5; i++) {
            publisher.raise(Alert.warning("plc.unreachable", "n" + i));
        }
        publisher.useOutbox(outbox);
        publisher.flush();
        List<JsonNode> alerts = outbox.messages(MessageType.ALERT);
        assertThat(alerts).hasSize(AlertPublisher.MAX_WAITING + 1);
        assertThat(alerts.get(0).path("message").asText()).isEqualTo("n0");
        JsonNode overflow = alerts.get(alerts.size() - 1);
        assertThat(overflow.path("code").asText()).isEqualTo(AlertPublisher.ALERT_OVERFLOW);
        assertThat(overflow.path("count").asLong()).isEqualTo(5);
    }

    private List<String> codes() {
        return outbox.messages(MessageType.ALERT).stream().map(m -> m.path("code").asText()).toList();
    }
}
