package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.outbox.SeqRange;

class WireTest {
    private final Wire wire = new Wire();

    @Test
    void helloCarriesEverySynchronisationField() throws Exception {
        JsonNode n = wire.parseMessage(wire.hello("s-1", 1234, 1300, 65, List.of(new SeqRange(1235, 1240)), "operational"));
        assertThat(n.path("type").asText()).isEqualTo("hello");
        assertThat(n.path("sessionId").asText()).isEqualTo("s-1");
        assertThat(n.path("lastAckedSeq").asLong()).isEqualTo(1234);
        assertThat(n.path("nextSeq").asLong()).isEqualTo(1300);
        assertThat(n.path("pending").asLong()).isEqualTo(65);
        assertThat(n.path("dropped").toString()).isEqualTo("[[1235,1240]]");
        assertThat(n.path("status").asText()).isEqualTo("operational");
    }

    @Test
    void registrationAnswerDefaultsAndWebSocketUrl() throws Exception {
        URI base = URI.create("https://wms-a.example:8443");
        Registration r = wire.registration(base,
                "{\"sessionId\":\"s-7f3a\",\"token\":\"t\",\"tokenExpiresAt\":2000,\"unknown\":1}".getBytes(StandardCharsets.UTF_8), 1000);
        assertThat(r.heartbeatIntervalSeconds()).isEqualTo(10);
        assertThat(r.lastReceivedSeq()).isZero();
        assertThat(r.webSocketUri("gw-1")).isEqualTo(URI.create("wss://wms-a.example:8443/api/v1/gateways/gw-1/ws"));
        assertThat(r.refreshAt(0.8, 1000)).isEqualTo(2000); // never sooner than 1 s from now
        Registration longer = r.withToken("t2", 0, 100_000);
        assertThat(longer.refreshAt(0.8, 0)).isEqualTo(80_000);
        assertThatThrownBy(() -> wire.registration(base, "{\"token\":\"t\"}".getBytes(StandardCharsets.UTF_8), 0))
                .hasMessageContaining("sessionId");
    }

    @Test
    void malformedFramesAreRecognised() {
        assertThatThrownBy(() -> wire.parseMessage("{not json")).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> wire.parseMessage("[1,2]")).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> wire.parseMessage("{\"type\":5}")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void retryAfterInSecondsOrAsDate() {
        assertThat(RetryAfter.parseMs("3", 0)).isEqualTo(3000);
        assertThat(RetryAfter.parseMs(null, 0)).isZero();
        assertThat(RetryAfter.parseMs("soon", 0)).isZero();
        assertThat(RetryAfter.parseMs("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).isEqualTo(4000);
    }
}
