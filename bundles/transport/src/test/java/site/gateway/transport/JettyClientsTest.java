package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import site.gateway.sandbox.pki.DevPki;

/** Issue 20: the WebSocket client's own thread pool starts one thread, not Jetty's default of eight idle ones. */
class JettyClientsTest {
    @Test
    void theWebSocketClientKeepsOneIdleThread() throws Exception {
        DevPki pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
        try (JettyClients clients = new JettyClients(new TestTls(pki), TestGateway.settings(TestGateway.fast("https://localhost:1")), (endpoint, header) -> { })) {
            assertThat(clients.webSocketThreads()).isEqualTo(1);
        }
    }
}
