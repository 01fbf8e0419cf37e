package site.gateway.plc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A raw TCP server on 127.0.0.1 that accepts connections and answers every request with junk (or nothing). */
final class JunkServer implements AutoCloseable {
    private final ServerSocket socket;
    private final boolean silent;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    JunkServer(boolean silent) throws IOException {
        this.silent = silent;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "junk-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connection() {
        return "modbus-tcp://127.0.0.1:" + socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                clients.add(client);
                Thread t = new Thread(() -> answer(client), "junk-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket client) {
        byte[] junk = "HTTP/1.1 418 I'm a teapot\r\nthis is not modbus\r\n".getBytes(StandardCharsets.US_ASCII);
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[512];
            while (in.read(buffer) >= 0) {
                if (!silent) {
                    out.write(junk);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : clients) {
            client.close();
        }
    }
}
