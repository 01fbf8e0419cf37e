package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.sandbox.ReceivedMessage;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * §3.1.3: {@code status} is the gateway's first message after the welcome, also when a command from the
 * WMS crossed the hello and reached the gateway before the welcome (seen in the crash loop: the WMS sends
 * a command as soon as the WebSocket is up).
 */
class WelcomeOrderTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @AfterAll
    static void done() {
        pki = null;
    }

    @Test
    void aCommandThatArrivesBeforeTheWelcomeIsAnsweredAfterStatus() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            ObjectNode command = wms.sendCommandBeforeNextWelcome(wms.newCommand("plc-1", "query",
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().set("reads",
                            new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("a"))));
            String id = command.path("commandId").asText();
            try (TestGateway gw = TestGateway.start(wms)) {
                gw.env.commandHandler = json -> "{\"type\":\"command.ack\",\"commandId\":\"" + id + "\",\"accepted\":true}";
                wms.awaitCommandAck(id, Duration.ofSeconds(10));

                List<String> order = wms.receivedNonDurable().stream().map(ReceivedMessage::type)
                        .filter(t -> !t.equals("heartbeat")).limit(3).toList();
                assertThat(order).containsExactly("hello", "status", "command.ack");
                assertThat(wms.protocolViolations()).isEmpty();
            }
        }
    }
}
