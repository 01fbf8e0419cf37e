package site.gateway.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSLEngine path, as the transport uses it: Jetty's HTTP client with the provider's context. */
class JettyClientTlsTest {
    @TempDir
    Path home;

    CryptoFixture fx;
    HttpClient http;

    @BeforeEach
    void setUp() throws Exception {
        fx = new CryptoFixture(home);
        CryptoComponent tls = fx.start();
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(tls.sslContext());
        ssl.setIncludeProtocols(tls.protocols());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        http.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        http.stop();
        fx.close();
    }

    @Test
    void httpsRequestOverTheProvidersContext() throws Exception {
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.3")) {
            ContentResponse response = http.GET("https://localhost:" + server.port() + "/");
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(server.seen.get(0).protocol()).isEqualTo("TLSv1.3");
            assertThat(server.seen.get(0).clientCert()).isEqualTo(fx.client.cert());
        }
    }

    @Test
    void wrongHostIsRefusedOnTheEnginePath() throws Exception {
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "wms.other.example"), fx.ca.cert(), "TLSv1.3")) {
            assertThatThrownBy(() -> http.GET("https://localhost:" + server.port() + "/")).isInstanceOf(ExecutionException.class);
            assertThat(fx.audit.withAction("tls.rejected")).singleElement()
                    .satisfies(e -> assertThat(e.target()).isEqualTo("localhost"));
        }
    }

    @Test
    void tls12OnlyServerIsRefusedOnTheEnginePath() throws Exception {
        try (TlsTestServer server = new TlsTestServer(TestPki.server(fx.ca, "localhost"), fx.ca.cert(), "TLSv1.2")) {
            assertThatThrownBy(() -> http.GET("https://localhost:" + server.port() + "/")).isInstanceOf(ExecutionException.class);
            assertThat(server.seen).isEmpty();
        }
    }
}
