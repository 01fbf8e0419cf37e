package site.gateway.plc.s7;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

import site.gateway.support.plcdriver.BigEndian;

/**
 * An ISO-on-TCP server on 127.0.0.1 that confirms the connection and Setup communication (PDU 480) as a CPU does,
 * then answers each further S7comm job with what {@code answer} makes of it (the job's S7comm PDU in, a whole frame
 * out; null: no answer). For PLCs that misbehave in one precise way: item errors, refused jobs, junk, silence.
 */
final class ScriptedS7Server implements AutoCloseable {
    private final ServerSocket socket;
    private final UnaryOperator<byte[]> answer;
    private volatile byte[] connectConfirm = HexFormat.of().parseHex("0300001611d00001000100c0010ac1020311c2020100");

    ScriptedS7Server(UnaryOperator<byte[]> answer) throws IOException {
        this.answer = answer;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-s7-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String connection() {
        return "s7://127.0.0.1:" + socket.getLocalPort() + "?request-timeout=2000";
    }

    /** What the server answers a connection request with (a disconnect request, to refuse). */
    void connectAnswer(byte[] frame) {
        connectConfirm = frame;
    }

    /** A whole frame carrying {@code s7}: an Ack_Data to {@code job} (same PDU reference) with these parameters and data. */
    static byte[] ackData(byte[] job, int errorClass, int errorCode, byte[] parameters, byte[] data) {
        int s7 = 12 + parameters.length + data.length;
        byte[] f = new byte[7 + s7];
        f[0] = 3;
        BigEndian.put(f, 2, 2, f.length);
        f[4] = 2;
        f[5] = (byte) 0xF0;
        f[6] = (byte) 0x80;
        f[7] = 0x32;
        f[8] = 3;
        f[11] = job[4];
        f[12] = job[5];
        BigEndian.put(f, 13, 2, parameters.length);
        BigEndian.put(f, 15, 2, data.length);
        f[17] = (byte) errorClass;
        f[18] = (byte) errorCode;
        System.arraycopy(parameters, 0, f, 19, parameters.length);
        System.arraycopy(data, 0, f, 19 + parameters.length, data.length);
        return f;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "scripted-s7-client");
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
                byte[] header = new byte[4];
                in.readFully(header);
                byte[] frame = new byte[BigEndian.u16(header, 2)];
                System.arraycopy(header, 0, frame, 0, 4);
                in.readFully(frame, 4, frame.length - 4);
                if ((frame[5] & 0xFF) == 0xE0) {
                    out.write(connectConfirm);
                    continue;
                }
                byte[] job = java.util.Arrays.copyOfRange(frame, 7, frame.length);
                byte[] reply = (job[10] & 0xFF) == 0xF0
                        ? ackData(job, 0, 0, HexFormat.of().parseHex("f0000001000101e0"), new byte[0])
                        : answer.apply(job);
                if (reply != null) {
                    out.write(reply);
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
    }
}
