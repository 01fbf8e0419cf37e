package site.gateway.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** One open WebSocket to the WMS. Sends are asynchronous; callbacks run on Jetty threads. */
final class WsLink {
    private final Session session;

    WsLink(Session session) {
        this.session = session;
    }

    void send(String text, Runnable written, Consumer<Throwable> failed) {
        session.sendText(text, Callback.from(written, failed));
    }

    /**
     * Sends a text frame whose UTF-8 bytes are already built: handed to Jetty's core session as they are,
     * where {@code sendText(String)} would decode them into a String and encode that back into a new array.
     * Jetty reads {@code utf8} until {@code written} or {@code failed} runs.
     */
    void send(ByteBuffer utf8, Runnable written, Consumer<Throwable> failed) {
        if (session instanceof WebSocketSession jetty) {
            jetty.getCoreSession().sendFrame(new Frame(OpCode.TEXT, utf8), org.eclipse.jetty.util.Callback.from(written, failed), false);
        } else {
            session.sendText(StandardCharsets.UTF_8.decode(utf8).toString(), Callback.from(written, failed));
        }
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    void pong(ByteBuffer payload) {
        session.sendPong(payload, Callback.NOOP);
    }

    /** A ping: any peer that is there answers with a pong (RFC 6455 §5.5.2), which counts as a frame heard. */
    void ping() {
        session.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }

    /** Starts the closing handshake; {@code done} runs when the close frame was written or failed. */
    void close(int code, String reason, Runnable done) {
        session.close(code, reason, Callback.from(done, x -> done.run()));
    }

    /** Drops the connection without a closing handshake (half-open peer). */
    void abort() {
        session.disconnect();
    }

    boolean isOpen() {
        return session.isOpen();
    }

    /**
     * True when the WMS accepted {@code permessage-deflate}. Read from the raw header: Jetty's
     * {@code getExtensions()} parses through a ServiceLoader that finds nothing inside OSGi.
     */
    boolean deflate() {
        java.util.List<String> values = session.getUpgradeResponse().getHeaders("Sec-WebSocket-Extensions");
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String extension : value.split(",")) {
                if (extension.trim().toLowerCase(java.util.Locale.ROOT).startsWith("permessage-deflate")) {
                    return true;
                }
            }
        }
        return false;
    }

    String subprotocol() {
        return session.getUpgradeResponse().getAcceptedSubProtocol();
    }
}
