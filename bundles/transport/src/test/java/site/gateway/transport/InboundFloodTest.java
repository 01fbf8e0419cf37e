package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Issue 13 point 8: a WMS that sends faster than the session thread handles cannot queue work without
 * bound; past the limit the gateway closes with 1008 and comes back with backoff.
 */
class InboundFloodTest {
    @Test
    void aFloodWhileTheSessionThreadIsBusyClosesWith1008AndTheGatewayReconnects() throws Exception {
        DevPki pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WmsSandbox wms = WmsSandbox.builder(pki).start(); TestGateway gw = TestGateway.start(wms)) {
            gw.env.commandHandler = json -> {
                busy.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS); // holds the session thread, as a slow handler would
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            };
            await().atMost(Duration.ofSeconds(10)).until(() -> gw.engine.phase() == Phase.CONNECTED);
            ObjectNode payload = new ObjectMapper().createObjectNode();
            payload.putArray("reads").add("t");
            wms.sendCommand(wms.newCommand("plc-1", "query", payload));
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < InboundLimit.DEFAULT_MAX_WAITING + 500 && gw.env.audited("wms.inbound-flood", "rejected") == 0; i++) {
                try {
                    wms.sendRaw(TestGateway.GATEWAY, "{\"type\":\"heartbeat\",\"ts\":" + i + "}");
                } catch (RuntimeException closed) {
                    break; // the gateway closed the connection meanwhile
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> gw.env.audited("wms.inbound-flood", "rejected") == 1);

            release.countDown();
            gw.env.commandHandler = null;
            await().atMost(Duration.ofSeconds(30)).until(() -> wms.sessions().stream()
                    .anyMatch(s -> s.closeCode() == InboundLimit.CLOSE_CODE));
            await().atMost(Duration.ofSeconds(30)).until(() -> gw.engine.phase() == Phase.CONNECTED);
        } finally {
            release.countDown();
        }
    }
}
