package site.gateway.testsupport;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A real forward HTTP proxy on loopback (Jetty's {@link ConnectHandler}: HTTP CONNECT tunnels) that blocks
 * WebSockets the way site proxies do: tunnels to the ports it is told to block are refused (403, like a
 * proxy's port allow-list), reset (closed without an answer) or left unanswered. The WMS gives its WebSocket
 * on its own port ({@code websocketUrl}, §2.1), so the proxy can tell the two apart without seeing inside TLS.
 * Counts the tunnels opened to each port.
 */
public final class BlockingConnectProxy implements AutoCloseable {
    /** What happens to a CONNECT to a blocked port. */
    public enum Block { NONE, REFUSE, RESET, HANG }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Set<Integer> blockedPorts = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicInteger> tunnels = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> blocked = new ConcurrentHashMap<>();
    private volatile Block block = Block.NONE;

    private BlockingConnectProxy() {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new ConnectHandler() {
            @Override
            protected void handleConnect(Request request, Response response, Callback callback, String serverAddress) {
                int port = port(serverAddress);
                Block how = blockedPorts.contains(port) ? block : Block.NONE;
                switch (how) {
                    case NONE -> {
                        tunnels.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
                        super.handleConnect(request, response, callback, serverAddress);
                    }
                    case REFUSE -> {
                        count(port);
                        Response.writeError(request, response, callback, 403, "CONNECT to port " + port + " not allowed");
                    }
                    case RESET -> {
                        count(port);
                        request.getConnectionMetaData().getConnection().getEndPoint().close();
                        callback.succeeded(); // nothing can be written on the closed connection
                    }
                    case HANG -> count(port); // never answered
                }
            }
        });
    }

    public static BlockingConnectProxy start() throws Exception {
        BlockingConnectProxy proxy = new BlockingConnectProxy();
        proxy.server.start();
        return proxy;
    }

    /** {@code http://127.0.0.1:<port>}, the value of {@code gateway.wms} {@code proxy}. */
    public String url() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Blocks tunnels to {@code port} in the given way ({@link Block#NONE}: lets everything through again). */
    public void block(int port, Block how) {
        blockedPorts.add(port);
        block = how;
    }

    public void allowAll() {
        block = Block.NONE;
        blockedPorts.clear();
    }

    /** Tunnels opened (let through) to {@code port}. */
    public int tunnels(int port) {
        AtomicInteger n = tunnels.get(port);
        return n == null ? 0 : n.get();
    }

    /** CONNECTs to {@code port} blocked. */
    public int blocked(int port) {
        AtomicInteger n = blocked.get(port);
        return n == null ? 0 : n.get();
    }

    private void count(int port) {
        blocked.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
    }

    private static int port(String serverAddress) {
        int colon = serverAddress.lastIndexOf(':');
        try {
            return colon < 0 ? 80 : Integer.parseInt(serverAddress.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
