package site.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.IssuedCertificate;
import site.gateway.testsupport.DevTlsContext;

/**
 * The transport's ceiling: a bare WebSocket client ({@link CeilingLink}) over TLS 1.3 with a client certificate,
 * no persistence and no gateway code. Registers (the JDK's HTTPS client: not timed), opens the session
 * ({@code hello}, {@code welcome}, {@code status}), then sends {@code count} telemetry messages as batch frames of
 * {@code batchItems} with at most {@code framesInFlight} frames unacknowledged (the gateway's own batching and
 * window), and waits for the WMS's ack of the last one.
 */
final class BareWebSocketCeiling {
    private static final Pattern ACK = Pattern.compile("\"type\":\"ack\".*\"upTo\":(\\d+)|\"upTo\":(\\d+).*\"type\":\"ack\"");
    private static final Pattern FIELD = Pattern.compile("\"(sessionId|token|websocketUrl)\":\"([^\"]+)\"");

    private final HttpClient http;
    private final SSLContext ssl;
    private final String tenantId;
    private final String gatewayId;
    private final Object lock = new Object();
    private long ackedUpTo;
    private boolean welcomed;

    BareWebSocketCeiling(IssuedCertificate client, X509Certificate trustAnchor, String tenantId, String gatewayId) throws Exception {
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        ssl = DevTlsContext.sslContext(client, trustAnchor, null);
        SSLParameters tls13 = new SSLParameters();
        tls13.setProtocols(new String[] {"TLSv1.3"});
        http = HttpClient.newBuilder().sslContext(ssl).sslParameters(tls13).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends {@code count} messages, the {@code telemetry} templates (telemetry JSON the gateway sent, without seq)
     * in turn, with {@code kind}'s client; returns the seconds from the first frame to the ack of the last message
     * and whether permessage-deflate was on.
     */
    Result send(CeilingLink.Kind kind, WmsSandbox wms, List<String> telemetry, long count, int batchItems, int framesInFlight)
            throws Exception {
        try (CeilingLink ws = openSession(kind, wms.baseUrl(), count)) {
            List<String> items = telemetry.stream().map(t -> t.substring(1)).toList(); // each item: {"seq":N, + the rest
            CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
            long start = System.nanoTime();
            long next = 1;
            while (next <= count) {
                long upTo = Math.min(count, next + batchItems - 1);
                synchronized (lock) {
                    while (next - 1 - ackedUpTo >= (long) framesInFlight * batchItems) {
                        lock.wait(1000);
                        failIfFailed(lastWrite);
                    }
                }
                StringBuilder frame = new StringBuilder((int) (upTo - next + 1) * (items.get(0).length() + 40) + 32)
                        .append("{\"type\":\"batch\",\"items\":[");
                for (long seq = next; seq <= upTo; seq++) {
                    frame.append(seq > next ? "," : "").append("{\"seq\":").append(seq).append(',')
                            .append(items.get((int) ((seq - 1) % items.size())));
                }
                failIfFailed(lastWrite);
                lastWrite = ws.send(frame.append("]}").toString());
                next = upTo + 1;
            }
            synchronized (lock) {
                while (ackedUpTo < count) {
                    lock.wait(1000);
                    failIfFailed(lastWrite);
                }
            }
            return new Result((System.nanoTime() - start) / 1e9, ws.deflate());
        }
    }

    /**
     * Registers, opens the WebSocket and synchronises it ({@code hello}, {@code welcome}, {@code status}), announcing
     * {@code pending} messages; the acks that arrive then are counted ({@link #ackedUpTo()}).
     */
    CeilingLink openSession(CeilingLink.Kind kind, String baseUrl, long pending) throws Exception {
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/gateways/register"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":1,\"tenantId\":\"" + tenantId + "\",\"gatewayId\":\"" + gatewayId
                        + "\",\"software\":{\"version\":\"ceiling\",\"bundles\":[]},\"plcs\":[],\"lastAckedSeq\":0,\"startedAt\":"
                        + System.currentTimeMillis() + "}")).build(), HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 200) {
            throw new IllegalStateException("register answered " + registered.statusCode() + ": " + registered.body());
        }
        synchronized (lock) {
            ackedUpTo = 0;
            welcomed = false;
        }
        String sessionId = field(registered.body(), "sessionId");
        CeilingLink ws = CeilingLink.open(kind, ssl, URI.create(field(registered.body(), "websocketUrl")),
                WmsSandbox.SUBPROTOCOL, field(registered.body(), "token"), this::received);
        ws.send("{\"type\":\"hello\",\"sessionId\":\"" + sessionId + "\",\"lastAckedSeq\":0,\"nextSeq\":1,\"pending\":" + pending
                + ",\"status\":\"operational\"}").get(30, TimeUnit.SECONDS);
        synchronized (lock) {
            while (!welcomed) {
                lock.wait(30_000);
            }
        }
        ws.send("{\"type\":\"status\",\"state\":\"operational\",\"ts\":" + System.currentTimeMillis() + "}").get(30, TimeUnit.SECONDS);
        return ws;
    }

    /** The highest seq the WMS acknowledged on the open session. */
    long ackedUpTo() {
        synchronized (lock) {
            return ackedUpTo;
        }
    }

    /** Seconds from the first frame to the last ack; whether the link compressed. */
    record Result(double seconds, boolean deflate) {
    }

    /** Frames are written in order: a failed write fails the run instead of waiting for an ack forever. */
    private static void failIfFailed(CompletableFuture<Void> write) throws ExecutionException, InterruptedException {
        if (write.isCompletedExceptionally()) {
            write.get();
        }
    }

    private static String field(String json, String name) {
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    /** A whole text message from the WMS: the welcome, or an ack's upTo. */
    private void received(String message) {
        synchronized (lock) {
            Matcher ack = ACK.matcher(message);
            if (ack.find()) {
                ackedUpTo = Math.max(ackedUpTo, Long.parseLong(ack.group(1) != null ? ack.group(1) : ack.group(2)));
            } else if (message.contains("\"welcome\"")) {
                welcomed = true;
            }
            lock.notifyAll();
        }
    }
}
