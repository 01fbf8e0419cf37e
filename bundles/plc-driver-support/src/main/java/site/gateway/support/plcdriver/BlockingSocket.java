package site.gateway.support.plcdriver;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A TCP connection read and written on the calling thread (no thread of its own), for a driver that writes a request
 * and reads its answer. A socket channel, so that interrupting a connect (the plc core's connect watchdog) ends it.
 * The driver closes it when an exchange goes wrong: its byte stream may be out of step.
 */
public final class BlockingSocket implements AutoCloseable {
    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String from;
    private volatile boolean open = true;

    private BlockingSocket(SocketChannel channel, String from) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.from = from;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects within {@code timeoutMs}.
     *
     * @param peer named in a read's timeout ("no answer within 300 ms from ..."), or null for none
     */
    public static BlockingSocket connect(String host, int port, int timeoutMs, String peer) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(host, port), timeoutMs);
            return new BlockingSocket(channel, peer == null ? "" : " from " + peer);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The {@link System#nanoTime} by which {@code timeoutMs} from now have passed. */
    public static long deadline(long timeoutMs) {
        return System.nanoTime() + timeoutMs * 1_000_000L;
    }

    /** What is left until {@code deadline}, in ms; none left is a timeout. */
    public static long remainingMs(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return left;
    }

    public boolean isOpen() {
        return open && channel.isOpen();
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
    }

    /**
     * Reads into {@code buffer} until it holds at least {@code need} bytes (one read for a whole answer, as a rule);
     * returns how many it holds.
     *
     * @throws SocketTimeoutException not enough bytes by {@code deadline} ({@code timeoutMs} after the request)
     * @throws EOFException           the device closed the connection
     */
    public int readAtLeast(byte[] buffer, int have, int need, long deadline, long timeoutMs) throws IOException {
        while (have < need) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("no answer within " + timeoutMs + " ms" + from);
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int n = in.read(buffer, have, buffer.length - have);
            if (n < 0) {
                throw new EOFException("connection closed by the PLC");
            }
            have += n;
        }
        return have;
    }

    /**
     * Takes in what has arrived without waiting (one read in non-blocking mode), for a driver that wants to know
     * whether an idle connection still holds: returns the new count of bytes in {@code buffer}, or -1 when the peer
     * has closed the connection. Not while another thread reads or writes.
     */
    public int poll(byte[] buffer, int have) throws IOException {
        channel.configureBlocking(false);
        try {
            int n = channel.read(ByteBuffer.wrap(buffer, have, buffer.length - have));
            return n < 0 ? -1 : have + n;
        } finally {
            channel.configureBlocking(true);
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do
        }
    }
}
