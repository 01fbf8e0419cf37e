package site.gateway.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

/**
 * One WebSocket of a bare ceiling client: sends text frames, hands every whole text message it receives to a
 * listener. Two clients, so that the ceiling sends the gateway's frames the way the gateway does
 * ({@link JettyCeilingLink}: Jetty 12 with permessage-deflate) and, for comparison, uncompressed
 * ({@link JdkCeilingLink}: the JDK's client, which cannot compress).
 */
interface CeilingLink extends AutoCloseable {
    /** Completes when the frame was written; a link may allow several sends outstanding or only one. */
    CompletableFuture<Void> send(String text);

    /** True when the WMS accepted permessage-deflate on this link. */
    boolean deflate();

    /** The clients, each as the ceiling table names it. */
    enum Kind {
        JETTY_DEFLATE("bare Jetty 12 WebSocket client offering permessage-deflate as the gateway does"),
        JDK_UNCOMPRESSED("bare JDK WebSocket client, which cannot compress");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    static CeilingLink open(Kind kind, SSLContext ssl, URI uri, String subprotocol, String token, Consumer<String> onText)
            throws Exception {
        return kind == Kind.JETTY_DEFLATE ? JettyCeilingLink.open(ssl, uri, subprotocol, token, onText)
                : JdkCeilingLink.open(ssl, uri, subprotocol, token, onText);
    }
}
