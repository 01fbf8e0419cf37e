package site.gateway.chaos;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One proxied connection: two {@link Pipe}s, client to target and back, that end together. */
final class Connection {
    private final ChaosProxy proxy;
    private final Socket client;
    private final Socket upstream;
    private final Pipe toTarget;
    private final Pipe toClient;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean swallowed = new AtomicBoolean();
    private final AtomicInteger directionsDone = new AtomicInteger();

    Connection(ChaosProxy proxy, Socket client, Socket upstream) {
        this.proxy = proxy;
        this.client = client;
        this.upstream = upstream;
        this.toTarget = new Pipe(this, client, upstream, "up");
        this.toClient = new Pipe(this, upstream, client, "down");
    }

    void start() {
        toTarget.start();
        toClient.start();
    }

    Fault fault() {
        return proxy.fault();
    }

    ChaosProxy proxy() {
        return proxy;
    }

    boolean isSwallowed() {
        return swallowed.get();
    }

    /** From now on nothing is forwarded and nothing closed: the pipes park until the proxy closes. */
    boolean swallow() {
        return swallowed.compareAndSet(false, true);
    }

    /** Blocks the calling pipe thread until the connection ends (black hole: forever, for the peers). */
    void parkUntilEnded() {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** One direction reached end of stream and passed it on; both done means an orderly close. */
    void directionDone() {
        if (directionsDone.incrementAndGet() == 2) {
            close();
        }
    }

    /** RST to both peers. */
    void reset() {
        if (!hasEnded() && !swallowed.get()) {
            proxy.countReset();
            resetQuietly(client);
            resetQuietly(upstream);
            end();
        }
    }

    void close() {
        closeQuietly(client);
        closeQuietly(upstream);
        end();
    }

    private void end() {
        ended.countDown();
        proxy.closed(this);
    }

    static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
        } catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
