package site.gateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The JDK's WebSocket client over TLS 1.3: no permessage-deflate (it has none), one send at a time. */
final class JdkCeilingLink implements CeilingLink {
    private final WebSocket ws;

    private JdkCeilingLink(WebSocket ws) {
        this.ws = ws;
    }

    static JdkCeilingLink open(SSLContext ssl, URI uri, String subprotocol, String token, Consumer<String> onText)
            throws Exception {
        SSLParameters tls13 = new SSLParameters();
        tls13.setProtocols(new String[] {"TLSv1.3"});
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).sslParameters(tls13).connectTimeout(Duration.ofSeconds(10)).build();
        WebSocket ws = http.newWebSocketBuilder().subprotocols(subprotocol).header("Authorization", "Bearer " + token)
                .buildAsync(uri, new Listener(onText)).get(30, TimeUnit.SECONDS);
        return new JdkCeilingLink(ws);
    }

    @Override
    public CompletableFuture<Void> send(String text) {
        ws.sendText(text, true).join(); // the JDK client allows one send at a time
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean deflate() {
        return false;
    }

    @Override
    public void close() throws Exception {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    /** Reassembles whole text messages. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final Consumer<String> onText;

        Listener(Consumer<String> onText) {
            this.onText = onText;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onText.accept(message);
            }
            webSocket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
