package site.gateway.transport;

import java.nio.ByteBuffer;

import org.eclipse.jetty.websocket.api.Session;

/**
 * Jetty's listener for one connection; forwards to {@link WsDialer.Events} and answers pings. Public
 * because Jetty invokes it through method handles; the package is not exported.
 */
public final class WsEndpoint implements Session.Listener.AutoDemanding {
    private final WsDialer.Events events;
    private volatile WsLink link;

    WsEndpoint(WsDialer.Events events) {
        this.events = events;
    }

    synchronized WsLink link(Session session) {
        if (link == null) {
            link = new WsLink(session);
        }
        return link;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        link(session);
        events.frameSeen();
    }

    @Override
    public void onWebSocketText(String message) {
        events.frameSeen();
        events.text(link, message);
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        events.frameSeen();
        WsLink l = link;
        if (l != null) {
            l.pong(payload); // overriding onWebSocketPing turns Jetty's automatic pong off
        }
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        events.frameSeen();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        events.closed(link, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        events.failed(link, cause);
    }
}
