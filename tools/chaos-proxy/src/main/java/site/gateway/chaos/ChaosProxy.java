package site.gateway.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that forwards to one target and injects the {@link Fault} in force. It works
 * below TLS: the gateway's handshake with the WMS passes through unchanged, and faults hit the encrypted
 * stream exactly as a bad network would.
 *
 * <pre>
 * try (ChaosProxy proxy = ChaosProxy.start(new InetSocketAddress("localhost", wmsPort))) {
 *     // point the gateway at https://localhost:proxy.port()
 *     proxy.setFault(Fault.blackHole());
 *     ...
 *     proxy.setFault(Fault.none());
 * }
 * </pre>
 */
public final class ChaosProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** Sockets accepted while a black hole was in force: never read, never closed until the proxy closes. */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong reset = new AtomicLong();
    private final AtomicLong swallowed = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private volatile Fault fault = Fault.none();
    private volatile boolean closed;

    private ChaosProxy(InetSocketAddress target, ServerSocket server) {
        this.target = target;
        this.server = server;
    }

    /** Listens on a free loopback port. */
    public static ChaosProxy start(InetSocketAddress target) throws IOException {
        return start(target, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static ChaosProxy start(InetSocketAddress target, InetSocketAddress listen) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen);
        ChaosProxy proxy = new ChaosProxy(target, server);
        Thread acceptor = new Thread(proxy::acceptLoop, "chaos-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress target() {
        return target;
    }

    public Fault fault() {
        return fault;
    }

    /** Puts {@code next} in force, for new and open connections: a reset resets the open ones, a black hole swallows them. */
    public void setFault(Fault next) {
        fault = next;
        if (next instanceof Fault.Reset) {
            open.forEach(Connection::reset);
        } else if (next instanceof Fault.BlackHole) {
            open.forEach(c -> {
                if (c.swallow()) {
                    swallowed.incrementAndGet();
                }
            });
        }
    }

    /** Connections accepted since the start, whatever became of them. */
    public long accepted() {
        return accepted.get();
    }

    /** Connections reset by the proxy (open ones at the switch, and new ones while the fault is in force). */
    public long resetCount() {
        return reset.get();
    }

    /** Connections swallowed by a black hole (open ones at the switch, and new ones while it is in force). */
    public long swallowedCount() {
        return swallowed.get();
    }

    /** Connections currently forwarding. */
    public int openCount() {
        return open.size();
    }

    /** Bytes forwarded, both directions. */
    public long forwardedBytes() {
        return forwarded.get();
    }

    /** Read calls that returned data, both directions (one per byte under a slow-loris fault). */
    public long readCount() {
        return reads.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("chaos proxy: accept failed: " + e);
                }
                return;
            }
            accepted.incrementAndGet();
            admit(client);
        }
    }

    private void admit(Socket client) {
        Fault now = fault;
        if (now instanceof Fault.Reset) {
            reset.incrementAndGet();
            Connection.resetQuietly(client);
            return;
        }
        if (now instanceof Fault.BlackHole) {
            swallowed.incrementAndGet();
            held.add(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 10_000);
        } catch (IOException e) {
            // The target is down: the client sees what it would see without the proxy, a refused connection.
            Connection.resetQuietly(client);
            Connection.closeQuietly(upstream);
            return;
        }
        Connection connection = new Connection(this, client, upstream);
        open.add(connection);
        connection.start();
        if (closed) {
            connection.close();
        }
    }

    void closed(Connection connection) {
        open.remove(connection);
    }

    void countForwarded(int bytes) {
        forwarded.addAndGet(bytes);
    }

    void countRead() {
        reads.incrementAndGet();
    }

    void countReset() {
        reset.incrementAndGet();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            open.forEach(Connection::close);
            held.forEach(Connection::closeQuietly);
            held.clear();
        }
    }

    @Override
    public String toString() {
        return "chaos proxy 127.0.0.1:" + port() + " -> " + target + " [" + fault + "; accepted " + accepted + ", open "
                + open.size() + ", reset " + reset + ", swallowed " + swallowed + ", forwarded " + forwarded + " B]";
    }
}
