package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import site.gateway.sandbox.Route;
import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/** §2: request bodies may be sent with Content-Encoding: gzip; RF-003 asks for compression. */
class CompressionTest {
    private static DevPki pki;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);
    }

    @Test
    void gzipRoundTripsAndShrinksTelemetryJson() throws IOException {
        byte[] json = ("{\"type\":\"batch\",\"items\":[" + "{\"type\":\"telemetry\",\"plcId\":\"plc-1\",\"readings\":"
                + "[{\"tag\":\"conveyor1.speed\",\"value\":1.25,\"quality\":\"good\"}]},".repeat(50) + "{}]}")
                .getBytes(StandardCharsets.UTF_8);

        byte[] packed = WmsHttp.gzip(json);

        assertThat(new GZIPInputStream(new ByteArrayInputStream(packed)).readAllBytes()).isEqualTo(json);
        assertThat(packed.length).isLessThan(json.length / 10);
    }

    @Test
    void bodiesFromTheThresholdAreGzippedAndTheThresholdChangesLive() throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(pki).start()) {
            Map<String, Object> config = TestGateway.fast(wms.baseUrl());
            config.put("gzipMinBytes", 1);
            try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), TestGateway.TENANT, config)) {
                gw.awaitConnected();
                assertThat(wms.gzipRequestCount(Route.REGISTER)).isEqualTo(wms.requestCount(Route.REGISTER)).isPositive();

                config.put("gzipMinBytes", 0);
                gw.engine.update(TestGateway.settings(config));
                int registrations = wms.requestCount(Route.REGISTER);
                wms.sendReregister();
                await().atMost(Duration.ofSeconds(30)).until(() -> wms.requestCount(Route.REGISTER) > registrations);
                gw.awaitConnected();

                assertThat(wms.gzipRequestCount(Route.REGISTER)).isEqualTo(registrations);
            }
        }
    }
}
