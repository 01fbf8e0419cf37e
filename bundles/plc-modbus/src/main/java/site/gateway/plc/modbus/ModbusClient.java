package site.gateway.plc.modbus;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;

import site.gateway.support.plcdriver.BigEndian;
import site.gateway.support.plcdriver.BlockingSocket;
import site.gateway.support.plcdriver.ConnectionBase;

/**
 * One Modbus TCP connection: writes a request and reads its answer on the calling thread (no thread of its own),
 * checking the MBAP header of every answer. Any I/O failure, timeout or malformed answer closes the connection:
 * its byte stream may be out of step.
 */
final class ModbusClient implements ConnectionBase.Session {
    /** MBAP header (7 bytes) plus the largest PDU (253). */
    private static final int MAX_ADU = 260;

    private final BlockingSocket socket;
    private final byte[] request = new byte[MAX_ADU];
    private final byte[] answer = new byte[MAX_ADU];
    private int transactionId;

    private ModbusClient(BlockingSocket socket) {
        this.socket = socket;
    }

    static ModbusClient connect(String host, int port, int timeoutMs) throws IOException {
        return new ModbusClient(BlockingSocket.connect(host, port, timeoutMs, null));
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
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
        socket.write(request, 0, 7 + length);

        long deadline = BlockingSocket.deadline(timeoutMs);
        int have = socket.readAtLeast(answer, 0, 8, deadline, timeoutMs);
        int protocol = BigEndian.u16(answer, 2);
        int frameLength = BigEndian.u16(answer, 4);
        if (protocol != 0) {
            throw new ModbusProtocolException(String.format("not a Modbus TCP answer (protocol id 0x%04x, expected 0)", protocol));
        }
        if (frameLength < 2 || frameLength > MAX_ADU - 6) {
            throw new ModbusProtocolException("not a Modbus TCP answer (length " + frameLength + ")");
        }
        socket.readAtLeast(answer, have, 6 + frameLength, deadline, timeoutMs);
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

    /** The last answer (MBAP header, then the PDU from offset 7). */
    byte[] answer() {
        return answer;
    }

    @Override
    public void close() {
        socket.close();
    }
}
