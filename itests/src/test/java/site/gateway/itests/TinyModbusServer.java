package site.gateway.itests;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Modbus TCP server on 127.0.0.1 (function 3, read holding registers, each register holding its
 * address): enough for the gateway's Modbus driver to poll, without a Modbus library in the framework. It can go
 * away ({@link #stop}: listener and every connection closed, as a PLC switched off) and come back on the
 * same port ({@link #restart}), which is how the soak makes its PLC flap.
 */
final class TinyModbusServer implements AutoCloseable {
    private final int port;
    private final List<Socket> open = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private ServerSocket socket;

    TinyModbusServer() throws IOException {
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        this.port = socket.getLocalPort();
        listen(socket);
    }

    int port() {
        return port;
    }

    /** Read requests answered since the start. */
    long answered() {
        return answered.get();
    }

    synchronized int clients() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    /** The PLC goes away: no listener, every connection closed. */
    synchronized void stop() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** The PLC comes back on the same port. */
    synchronized void restart() throws IOException {
        ServerSocket next = new ServerSocket();
        next.setReuseAddress(true); // the port's old connections may linger in TIME_WAIT
        next.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10);
        socket = next;
        listen(next);
    }

    private void listen(ServerSocket listener) {
        Thread acceptor = new Thread(() -> accept(listener), "tiny-modbus");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                synchronized (this) {
                    open.add(client);
                }
                Thread t = new Thread(() -> serve(client), "tiny-modbus-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream raw = client.getInputStream()) {
            DataInputStream in = new DataInputStream(raw);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            while (true) {
                int transaction = in.readUnsignedShort();
                in.readUnsignedShort(); // protocol id
                int length = in.readUnsignedShort();
                int unit = in.readUnsignedByte();
                byte[] pdu = new byte[length - 1];
                in.readFully(pdu);
                int function = pdu[0] & 0xff;
                int start = ((pdu[1] & 0xff) << 8) | (pdu[2] & 0xff);
                int count = ((pdu[3] & 0xff) << 8) | (pdu[4] & 0xff);
                out.writeShort(transaction);
                out.writeShort(0);
                if (function != 3) {
                    out.writeShort(3);
                    out.writeByte(unit);
                    out.writeByte(function | 0x80);
                    out.writeByte(1); // illegal function
                } else {
                    out.writeShort(3 + 2 * count);
                    out.writeByte(unit);
                    out.writeByte(3);
                    out.writeByte(2 * count);
                    for (int i = 0; i < count; i++) {
                        out.writeShort(start + i);
                    }
                    answered.incrementAndGet();
                }
                out.flush();
            }
        } catch (IOException closed) {
            // the client went away, or the server stopped
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
