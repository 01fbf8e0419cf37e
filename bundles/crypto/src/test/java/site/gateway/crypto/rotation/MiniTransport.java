package site.gateway.crypto.rotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import site.gateway.api.crypto.CsrSubmitter;
import site.gateway.api.crypto.TlsContextProvider;

/**
 * Just enough of the WMS transport for rotation: an HTTPS client over the provider's current context
 * (rebuilt when its generation changes), registration (§2.1), CRL (§2.4) and CSR submission (§2.3).
 */
final class MiniTransport implements CsrSubmitter, AutoCloseable {
    private final TlsContextProvider tls;
    private final String baseUrl;
    private HttpClient http;
    private long clientGeneration = -1;
    private String token;

    MiniTransport(TlsContextProvider tls, String baseUrl) {
        this.tls = tls;
        this.baseUrl = baseUrl;
    }

    /** The generation of the context the client uses (rebuilt first if the context changed). */
    synchronized long client() throws Exception {
        if (http == null || clientGeneration != tls.generation()) {
            if (http != null) {
                http.stop();
            }
            clientGeneration = tls.generation();
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            ssl.setSslContext(tls.sslContext());
            ssl.setIncludeProtocols(tls.protocols());
            ClientConnector connector = new ClientConnector();
            connector.setSslContextFactory(ssl);
            http = new HttpClient(new HttpClientTransportOverHTTP(connector));
            http.start();
        }
        return clientGeneration;
    }

    /** Registers; returns the generation of the context it was done with. */
    synchronized long register() throws Exception {
        long generation = client();
        ContentResponse r = http.newRequest(baseUrl + "/api/v1/gateways/register").method(HttpMethod.POST)
                .body(new StringRequestContent("application/json",
                        "{\"protocol\":1,\"tenantId\":\"acme\",\"gatewayId\":\"gw-01\",\"lastAckedSeq\":0,\"startedAt\":0}"))
                .timeout(10, TimeUnit.SECONDS).send();
        if (r.getStatus() != 200) {
            throw new IOException("register: HTTP " + r.getStatus() + " " + r.getContentAsString());
        }
        String body = r.getContentAsString();
        int i = body.indexOf("\"token\":\"") + 9;
        token = body.substring(i, body.indexOf('"', i));
        return generation;
    }

    synchronized byte[] crl() throws Exception {
        client();
        ContentResponse r = http.GET(baseUrl + "/api/v1/pki/crl");
        return r.getContent();
    }

    @Override
    public synchronized String submitCsr(String csrPem) throws IOException {
        try {
            client();
            ContentResponse r = http.newRequest(baseUrl + "/api/v1/gateways/gw-01/certificate").method(HttpMethod.POST)
                    .headers(h -> h.put("Authorization", "Bearer " + token))
                    .body(new BytesRequestContent("application/pkcs10", csrPem.getBytes(StandardCharsets.US_ASCII)))
                    .timeout(10, TimeUnit.SECONDS).send();
            if (r.getStatus() != 200) {
                throw new IOException("certificate: HTTP " + r.getStatus() + " " + r.getContentAsString());
            }
            return r.getContentAsString();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (http != null) {
            http.stop();
        }
    }
}
