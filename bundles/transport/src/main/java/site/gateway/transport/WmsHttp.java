package site.gateway.transport;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/** The HTTPS calls of §2, asynchronous; answers of any status complete normally, I/O and TLS failures exceptionally. */
final class WmsHttp {
    static final String REGISTER = "/api/v1/gateways/register";
    static final String CRL = "/api/v1/pki/crl";
    static final String HEALTH = "/api/v1/health";
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final HttpClient client;

    WmsHttp(HttpClient client) {
        this.client = client;
    }

    static String tokenPath(String gatewayId) {
        return "/api/v1/gateways/" + gatewayId + "/token";
    }

    static String messagesPath(String gatewayId) {
        return "/api/v1/gateways/" + gatewayId + "/messages";
    }

    CompletableFuture<HttpReply> post(URI base, String path, String bearer, byte[] json, long timeoutMs) {
        return post(base, path, bearer, "application/json", json, timeoutMs);
    }

    CompletableFuture<HttpReply> post(URI base, String path, String bearer, String contentType, byte[] body, long timeoutMs) {
        Request request = client.newRequest(URI.create(base + path)).method(HttpMethod.POST)
                .body(new BytesRequestContent(contentType, body));
        return send(request, bearer, timeoutMs);
    }

    CompletableFuture<HttpReply> get(URI base, String path, long timeoutMs) {
        return send(client.newRequest(URI.create(base + path)).method(HttpMethod.GET), null, timeoutMs);
    }

    private CompletableFuture<HttpReply> send(Request request, String bearer, long timeoutMs) {
        CompletableFuture<HttpReply> answer = new CompletableFuture<>();
        request.timeout(timeoutMs, TimeUnit.MILLISECONDS).headers(h -> {
            if (bearer != null) {
                h.put(HttpHeader.AUTHORIZATION, "Bearer " + bearer);
            }
        });
        request.send(new BufferingResponseListener(MAX_ANSWER_BYTES) {
            @Override
            public void onComplete(Result result) {
                if (result.isFailed()) {
                    answer.completeExceptionally(result.getFailure());
                } else {
                    answer.complete(new HttpReply(result.getResponse().getStatus(), getContent(),
                            result.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER)));
                }
            }
        });
        return answer;
    }
}
