package site.gateway.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a {@link Connection}: a reader thread that reads (a byte at a time under a slow-loris
 * fault) and stamps each chunk with the time it may leave, and a writer thread that sends it then, at
 * most at the bandwidth in force. The bounded queue between them gives the sender back-pressure.
 */
final class Pipe {
    private static final int CHUNK = 16 * 1024;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private final Connection connection;
    private final Socket from;
    private final Socket to;
    private final String name;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(64);

    Pipe(Connection connection, Socket from, Socket to, String name) {
        this.connection = connection;
        this.from = from;
        this.to = to;
        this.name = name;
    }

    void start() {
        String suffix = name + "-" + from.getLocalPort() + "-" + from.getPort();
        thread(this::readLoop, "chaos-read-" + suffix).start();
        thread(this::writeLoop, "chaos-write-" + suffix).start();
    }

    private static Thread thread(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void readLoop() {
        byte[] buffer = new byte[CHUNK];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                if (connection.isSwallowed()) {
                    connection.parkUntilEnded(); // stop reading: the sender's window fills, as behind a black hole
                    return;
                }
                Fault fault = connection.fault();
                boolean slow = fault instanceof Fault.SlowLoris;
                int n = in.read(buffer, 0, slow ? 1 : CHUNK);
                if (n < 0) {
                    put(END);
                    return;
                }
                connection.proxy().countRead();
                if (slow) {
                    LockSupport.parkNanos(((Fault.SlowLoris) fault).perByte().toNanos());
                }
                long delay = fault instanceof Fault.Latency latency ? latency.delay().toNanos() : 0;
                put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delay));
            }
        } catch (IOException e) {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
        }
    }

    /** Blocks while the writer is behind (back-pressure), gives up when the connection ended. */
    private void put(Chunk chunk) throws InterruptedException {
        while (!queue.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
            if (connection.hasEnded()) {
                return;
            }
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = queue.poll(200, TimeUnit.MILLISECONDS);
                if (connection.hasEnded()) {
                    return;
                }
                if (chunk == null) {
                    continue;
                }
                if (connection.isSwallowed()) {
                    connection.parkUntilEnded(); // what was read is never forwarded
                    return;
                }
                if (chunk == END) {
                    to.shutdownOutput(); // pass the FIN on
                    connection.directionDone();
                    return;
                }
                waitUntil(chunk.dueNanos());
                write(out, chunk.bytes());
            }
        } catch (IOException e) {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            Fault fault = connection.fault();
            int length = bytes.length - offset;
            long pauseNanos = 0;
            if (fault instanceof Fault.Bandwidth bandwidth) {
                // slices of 1/20 s at the allowed rate, so that a switch of fault takes effect quickly
                length = (int) Math.min(length, Math.max(1, bandwidth.bytesPerSecond() / 20));
                pauseNanos = length * 1_000_000_000L / bandwidth.bytesPerSecond();
            }
            out.write(bytes, offset, length);
            out.flush();
            connection.proxy().countForwarded(length);
            offset += length;
            if (pauseNanos > 0) {
                waitUntil(System.nanoTime() + pauseNanos);
            }
        }
    }

    private void waitUntil(long dueNanos) {
        long left;
        while ((left = dueNanos - System.nanoTime()) > 0 && !connection.hasEnded()) {
            LockSupport.parkNanos(left);
        }
    }
}
