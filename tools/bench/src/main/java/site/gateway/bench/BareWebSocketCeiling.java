package site.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.IssuedCertificate;
import site.gateway.testsupport.DevTlsContext;

/**
 * The transport's ceiling: the JDK's own HTTPS and WebSocket clients over TLS 1.3 with a client certificate,
 * no persistence and no gateway code. Registers, opens the session ({@code hello}, {@code welcome},
 * {@code status}), then sends {@code count} telemetry messages as batch frames of {@code batchItems} with at
 * most {@code framesInFlight} frames unacknowledged (the gateway's own batching and window), and waits for
 * the WMS's ack of the last one.
 */
final class BareWebSocketCeiling {
    private static final Pattern ACK = Pattern.compile("\"type\":\"ack\".*\"upTo\":(\\d+)|\"upTo\":(\\d+).*\"type\":\"ack\"");
    private static final Pattern FIELD = Pattern.compile("\"(sessionId|token|websocketUrl)\":\"([^\"]+)\"");

    private final HttpClient http;
    private final String tenantId;
    private final String gatewayId;
    private final Object lock = new Object();
    private long ackedUpTo;
    private boolean welcomed;

    BareWebSocketCeiling(IssuedCertificate client, X509Certificate trustAnchor, String tenantId, String gatewayId) throws Exception {
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        SSLContext ssl = DevTlsContext.sslContext(client, trustAnchor, null);
        SSLParameters tls13 = new SSLParameters();
        tls13.setProtocols(new String[] {"TLSv1.3"});
        http = HttpClient.newBuilder().sslContext(ssl).sslParameters(tls13).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends {@code count} copies of {@code telemetry} (a gateway's telemetry JSON without seq) and returns the
     * seconds from the first frame to the ack of the last message.
     */
    double send(WmsSandbox wms, String telemetry, long count, int batchItems, int framesInFlight) throws Exception {
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(wms.baseUrl() + "/api/v1/gateways/register"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"protocol\":1,\"tenantId\":\"" + tenantId + "\",\"gatewayId\":\"" + gatewayId
                        + "\",\"software\":{\"version\":\"ceiling\",\"bundles\":[]},\"plcs\":[],\"lastAckedSeq\":0,\"startedAt\":"
                        + System.currentTimeMillis() + "}")).build(), HttpResponse.BodyHandlers.ofString());
        if (registered.statusCode() != 200) {
            throw new IllegalStateException("register answered " + registered.statusCode() + ": " + registered.body());
        }
        String sessionId = field(registered.body(), "sessionId");
        WebSocket ws = http.newWebSocketBuilder().subprotocols(WmsSandbox.SUBPROTOCOL)
                .header("Authorization", "Bearer " + field(registered.body(), "token"))
                .buildAsync(URI.create(field(registered.body(), "websocketUrl")), new Listener()).get(30, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"hello\",\"sessionId\":\"" + sessionId + "\",\"lastAckedSeq\":0,\"nextSeq\":1,\"pending\":" + count
                + ",\"status\":\"operational\"}", true).join();
        synchronized (lock) {
            while (!welcomed) {
                lock.wait(30_000);
            }
        }
        ws.sendText("{\"type\":\"status\",\"state\":\"operational\",\"ts\":" + System.currentTimeMillis() + "}", true).join();
        String item = telemetry.substring(1); // each item: {"seq":N, + the rest of the message
        long start = System.nanoTime();
        long next = 1;
        while (next <= count) {
            long upTo = Math.min(count, next + batchItems - 1);
            synchronized (lock) {
                while (next - 1 - ackedUpTo >= (long) framesInFlight * batchItems) {
                    lock.wait();
                }
            }
            StringBuilder frame = new StringBuilder((int) (upTo - next + 1) * (item.length() + 20) + 32).append("{\"type\":\"batch\",\"items\":[");
            for (long seq = next; seq <= upTo; seq++) {
                frame.append(seq > next ? "," : "").append("{\"seq\":").append(seq).append(',').append(item);
            }
            ws.sendText(frame.append("]}"), true).join(); // the JDK client allows one send at a time
            next = upTo + 1;
        }
        synchronized (lock) {
            while (ackedUpTo < count) {
                lock.wait();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        return seconds;
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

    /** Reads whole text messages: the welcome, and each ack's upTo. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
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
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
