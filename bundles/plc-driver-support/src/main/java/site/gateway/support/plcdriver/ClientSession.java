package site.gateway.support.plcdriver;

/**
 * A session that works over one client (a protocol client on a socket, a client library's session): open while the
 * client is, and closing it closes the client.
 */
public abstract class ClientSession<C extends ConnectionBase.Session> implements ConnectionBase.Session {
    protected final C client;

    protected ClientSession(C client) {
        this.client = client;
    }

    @Override
    public boolean isOpen() {
        return client.isOpen();
    }

    @Override
    public void close() {
        client.close();
    }
}
