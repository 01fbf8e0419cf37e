package site.gateway.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A TCP server on 127.0.0.1 that reads whole Modbus TCP requests and answers each with what {@code answer} makes
 * of it (the full request frame in, bytes out; null: no answer). For devices that misbehave in one precise way:
 * junk, silence, exception answers, answers to another transaction.
 */
public final class ScriptedModbusServer implements AutoCloseable {
    private final ServerSocket socket;
    private final UnaryOperator<byte[]> answer;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    public ScriptedModbusServer(UnaryOperator<byte[]> answer) throws IOException {
        this.answer = answer;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-modbus-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String connection() {
        return "modbus-tcp://127.0.0.1:" + socket.getLocalPort();
    }

    /** The exception answer with {@code code} to {@code request}. */
    public static byte[] exception(byte[] request, int code) {
        return new byte[] {request[0], request[1], 0, 0, 0, 3, request[6], (byte) (request[7] | 0x80), (byte) code};
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                clients.add(client);
                Thread t = new Thread(() -> serve(client), "scripted-modbus-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; DataInputStream in = new DataInputStream(client.getInputStream()); OutputStream out = client.getOutputStream()) {
            while (true) {
                byte[] header = new byte[6];
                in.readFully(header);
                byte[] frame = new byte[6 + ((header[4] & 0xFF) << 8 | header[5] & 0xFF)];
                System.arraycopy(header, 0, frame, 0, 6);
                in.readFully(frame, 6, frame.length - 6);
                byte[] reply = answer.apply(frame);
                if (reply != null) {
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the client went away
        }
    }

    /** An HTTP answer, as a web server on the PLC's port would give: not Modbus. */
    public static byte[] junk(byte[] request) {
        return "HTTP/1.1 418 I'm a teapot\r\nthis is not modbus\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
