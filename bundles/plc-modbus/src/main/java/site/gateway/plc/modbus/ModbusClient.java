package site.gateway.plc.modbus;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

import site.gateway.support.plcdriver.BigEndian;

/**
 * One Modbus TCP connection: writes a request and reads its answer on the calling thread (no thread of its own),
 * checking the MBAP header of every answer. Any I/O failure, timeout or malformed answer closes the connection:
 * its byte stream may be out of step. A socket channel, so that interrupting a connect (the plc core's connect
 * watchdog) ends it.
 */
final class ModbusClient implements AutoCloseable {
    /** MBAP header (7 bytes) plus the largest PDU (253). */
    private static final int MAX_ADU = 260;

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request = new byte[MAX_ADU];
    private final byte[] answer = new byte[MAX_ADU];
    private int transactionId;
    private volatile boolean open = true;

    private ModbusClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static ModbusClient connect(String host, int port, int timeoutMs) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(host, port), timeoutMs);
            return new ModbusClient(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    boolean isOpen() {
        return open && channel.isOpen();
    }

    /**
     * Sends {@code pdu[0 .. length)} (function code first) to {@code unit} and returns the answer's PDU length;
     * the PDU is at {@link #answer()} from offset 7.
     *
     * @throws ModbusExceptionResponse the device answered with an exception code (the connection stays open)
     * @throws SocketTimeoutException   no complete answer within {@code timeoutMs}
     * @throws IOException              connection failed or the answer is not Modbus TCP
     */
    int exchange(int unit, byte[] pdu, int length, long timeoutMs) throws IOException {
        if (!isOpen()) {
            throw new EOFException("connection closed");
        }
        try {
            return exchangeOrFail(unit, pdu, length, timeoutMs);
        } catch (ModbusExceptionResponse e) {
            throw e; // a complete, well-formed answer: the stream is in step
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private int exchangeOrFail(int unit, byte[] pdu, int length, long timeoutMs) throws IOException {
        transactionId = (transactionId + 1) & 0xFFFF;
        BigEndian.put(request, 0, 2, transactionId);
        BigEndian.put(request, 2, 2, 0);
        BigEndian.put(request, 4, 2, length + 1);
        request[6] = (byte) unit;
        System.arraycopy(pdu, 0, request, 7, length);
        out.write(request, 0, 7 + length);

        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        int have = readAtLeast(0, 8, deadline, timeoutMs);
        int protocol = BigEndian.u16(answer, 2);
        int frameLength = BigEndian.u16(answer, 4);
        if (protocol != 0) {
            throw new ModbusProtocolException(String.format("not a Modbus TCP answer (protocol id 0x%04x, expected 0)", protocol));
        }
        if (frameLength < 2 || frameLength > MAX_ADU - 6) {
            throw new ModbusProtocolException("not a Modbus TCP answer (length " + frameLength + ")");
        }
        readAtLeast(have, 6 + frameLength, deadline, timeoutMs);
        int id = BigEndian.u16(answer, 0);
        if (id != transactionId) {
            throw new ModbusProtocolException("answer to transaction " + id + ", expected " + transactionId);
        }
        if ((answer[6] & 0xFF) != unit) {
            throw new ModbusProtocolException("answer from unit " + (answer[6] & 0xFF) + ", expected " + unit);
        }
        int function = answer[7] & 0xFF;
        if (function == (pdu[0] | 0x80)) {
            throw new ModbusExceptionResponse(frameLength >= 3 ? answer[8] & 0xFF : 0);
        }
        if (function != (pdu[0] & 0xFF)) {
            throw new ModbusProtocolException("answer with function code " + function + " to a request with " + (pdu[0] & 0xFF));
        }
        return frameLength - 1;
    }

    /** Reads until {@code answer} holds at least {@code need} bytes (one read for a whole answer, as a rule). */
    private int readAtLeast(int have, int need, long deadline, long timeoutMs) throws IOException {
        while (have < need) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("no answer within " + timeoutMs + " ms");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
            int n = in.read(answer, have, answer.length - have);
            if (n < 0) {
                throw new EOFException("connection closed by the PLC");
            }
            have += n;
        }
        return have;
    }

    /** The last answer (MBAP header, then the PDU from offset 7). */
    byte[] answer() {
        return answer;
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
