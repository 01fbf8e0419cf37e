package site.gateway.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.zip.GZIPOutputStream;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The HTTPS calls of §2, asynchronous; answers of any status complete normally, I/O and TLS failures exceptionally.
 * Every 429/503 answer's {@code Retry-After} is handed to {@code retryAfter} before the caller sees the answer, so
 * that it holds back every later request to that endpoint (§2, §4) whichever request it answered; what each
 * caller does meanwhile (skip, postpone, fail) is the caller's.
 */
final class WmsHttp {
    static final String REGISTER = "/api/v1/gateways/register";
    static final String CRL = "/api/v1/pki/crl";
    static final String HEALTH = "/api/v1/health";
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final HttpClient client;
    private final IntSupplier gzipMinBytes;
    private final BiConsumer<URI, String> retryAfter;

    /**
     * @param gzipMinBytes bodies of at least this many bytes are gzip-compressed (§2); 0 = never
     * @param retryAfter   told (endpoint, header or null) of every 429/503 answer, on a Jetty thread
     */
    WmsHttp(HttpClient client, IntSupplier gzipMinBytes, BiConsumer<URI, String> retryAfter) {
        this.client = client;
        this.gzipMinBytes = gzipMinBytes;
        this.retryAfter = retryAfter;
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
        Request request = client.newRequest(URI.create(base + path)).method(HttpMethod.POST);
        int threshold = gzipMinBytes.getAsInt();
        if (threshold > 0 && body.length >= threshold) {
            request.headers(h -> h.put(HttpHeader.CONTENT_ENCODING, "gzip"))
                    .body(new BytesRequestContent(contentType, gzip(body)));
        } else {
            request.body(new BytesRequestContent(contentType, body));
        }
        return send(request, base, bearer, timeoutMs);
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out, 8192)) {
            zip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return out.toByteArray();
    }

    CompletableFuture<HttpReply> get(URI base, String path, long timeoutMs) {
        return send(client.newRequest(URI.create(base + path)).method(HttpMethod.GET), base, null, timeoutMs);
    }

    private CompletableFuture<HttpReply> send(Request request, URI base, String bearer, long timeoutMs) {
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
                    HttpReply reply = new HttpReply(result.getResponse().getStatus(), getContent(),
                            result.getResponse().getHeaders().get(HttpHeader.RETRY_AFTER));
                    if (reply.asksToWait()) {
                        retryAfter.accept(base, reply.retryAfter());
                    }
                    answer.complete(reply);
                }
            }
        });
        return answer;
    }
}
