package site.gateway.httpstarter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private static final Map<String, String> FRAMEWORK = Map.of(HttpEndpoint.PORT, "8080", HttpEndpoint.HOST, "127.0.0.1");

    @Test
    void aKeyOfTheConfigurationWinsOverTheFrameworkProperty() {
        Hashtable<String, Object> configuration = new Hashtable<>(Map.of(HttpEndpoint.PORT, "18081"));
        assertThat(HttpEndpoint.of(configuration, FRAMEWORK::get)).isEqualTo(new HttpEndpoint("127.0.0.1", 18081));
    }

    @Test
    void anEmptyConfigurationMeansTheFrameworkProperties() {
        assertThat(HttpEndpoint.of(new Hashtable<>(), FRAMEWORK::get)).isEqualTo(new HttpEndpoint("127.0.0.1", 8080));
        assertThat(HttpEndpoint.of(null, key -> null)).isEqualTo(new HttpEndpoint("", 8080));
    }

    @Test
    void numbersFromConfigAdminCountAsWellAsStrings() {
        Hashtable<String, Object> configuration = new Hashtable<>(Map.of(HttpEndpoint.PORT, 9090, HttpEndpoint.HOST, " 0.0.0.0 "));
        assertThat(HttpEndpoint.of(configuration, FRAMEWORK::get)).isEqualTo(new HttpEndpoint("0.0.0.0", 9090));
    }

    @Test
    void httpSwitchedOffOrAnyFreePortIsNotWaitedFor() {
        Hashtable<String, Object> off = new Hashtable<>(Map.of(HttpEndpoint.ENABLE, "false"));
        assertThat(HttpEndpoint.of(off, FRAMEWORK::get).isFixedPort()).isFalse();
        Hashtable<String, Object> any = new Hashtable<>(Map.of(HttpEndpoint.PORT, "0"));
        assertThat(HttpEndpoint.of(any, FRAMEWORK::get).isFixedPort()).isFalse();
    }

    @Test
    void aPortHeldByAnotherSocketIsReportedAndFreeOnceClosed() throws IOException {
        HttpEndpoint endpoint;
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            endpoint = new HttpEndpoint("127.0.0.1", other.getLocalPort());
            assertThat(PortProbe.problem(endpoint)).isPresent();
        }
        assertThat(PortProbe.problem(endpoint)).isEmpty();
    }
}
