package site.gateway.transport;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.common.ExtensionConfigParser;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Opens the §3 WebSocket: bearer token, subprotocol {@code wms.v1}, {@code permessage-deflate} offered. */
final class WsDialer {
    static final String SUBPROTOCOL = "wms.v1";

    /** What happens on a link, reported from Jetty threads. */
    interface Events {
        void text(WsLink link, String text);

        /** Any frame arrived (text, ping, pong, close): the peer is alive. */
        void frameSeen();

        void closed(WsLink link, int code, String reason);

        void failed(WsLink link, Throwable cause);

        /** For a link that is only a probe and closed at once: nothing it says matters. */
        Events IGNORE = new Events() {
            @Override
            public void text(WsLink link, String text) {
            }

            @Override
            public void frameSeen() {
            }

            @Override
            public void closed(WsLink link, int code, String reason) {
            }

            @Override
            public void failed(WsLink link, Throwable cause) {
            }
        };
    }

    /** The upgrade was answered with a status other than 101. */
    static final class UpgradeRefused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String retryAfter;

        UpgradeRefused(int status, String retryAfter, Throwable cause) {
            super("WebSocket upgrade answered " + status, cause);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    private final WebSocketClient client;

    WsDialer(WebSocketClient client) {
        this.client = client;
    }

    CompletableFuture<WsLink> connect(URI uri, String token, Events events, long timeoutMs) {
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setHeader(HttpHeader.AUTHORIZATION.asString(), "Bearer " + token);
        request.setSubProtocols(SUBPROTOCOL);
        // Built directly: ExtensionConfig.parse() looks its parser up with ServiceLoader, which the Jetty API
        // bundle does not have woven by SPI Fly, so inside OSGi it finds nothing.
        request.addExtensions(new ExtensionConfigParser().parse("permessage-deflate"));
        request.setTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        AtomicReference<Response> answer = new AtomicReference<>();
        JettyUpgradeListener upgradeListener = new JettyUpgradeListener() {
            @Override
            public void onHandshakeResponse(Request req, Response response) {
                answer.set(response);
            }
        };
        WsEndpoint endpoint = new WsEndpoint(events);
        CompletableFuture<WsLink> result = new CompletableFuture<>();
        try {
            client.connect(endpoint, uri, request, upgradeListener).whenComplete((session, error) -> {
                if (error == null) {
                    result.complete(endpoint.link(session));
                    return;
                }
                Response response = answer.get();
                if (response != null && response.getStatus() != 101) {
                    result.completeExceptionally(new UpgradeRefused(response.getStatus(),
                            response.getHeaders().get(HttpHeader.RETRY_AFTER), error));
                } else {
                    result.completeExceptionally(error);
                }
            });
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
