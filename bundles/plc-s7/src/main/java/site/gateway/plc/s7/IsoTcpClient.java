package site.gateway.plc.s7;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;

import site.gateway.support.plcdriver.BigEndian;
import site.gateway.support.plcdriver.BlockingSocket;
import site.gateway.support.plcdriver.ConnectionBase;

/**
 * One ISO-on-TCP connection to an S7 CPU: RFC 1006 TPKT frames carrying ISO 8073 (COTP class 0) data, opened with
 * a connection request and S7comm's "Setup communication", which settles the PDU size. Each request is written and
 * its answer read on the calling thread (no thread of its own). Any I/O failure, timeout or malformed answer closes
 * the connection: its byte stream may be out of step.
 */
final class IsoTcpClient implements ConnectionBase.Session {
    /** TPKT header (4) plus COTP data header (3): where an S7comm PDU starts in a frame. */
    static final int S7_START = 7;
    private static final int TPKT_VERSION = 3;
    private static final int COTP_CONNECT_REQUEST = 0xE0;
    private static final int COTP_CONNECT_CONFIRM = 0xD0;
    private static final int COTP_DATA = 0xF0;
    private static final int S7_PROTOCOL_ID = 0x32;
    private static final int ROSCTR_JOB = 1;
    private static final int ROSCTR_ACK_DATA = 3;
    private static final int SETUP_COMMUNICATION = 0xF0;

    private final BlockingSocket socket;
    private byte[] request = new byte[S7_START + 1024];
    private byte[] answer = new byte[S7_START + 1024];
    /** Frames as read from the socket, before their payload is gathered into {@link #answer}. */
    private byte[] raw = new byte[S7_START + 1024];
    private int pduReference;
    private int pduSize;

    private IsoTcpClient(BlockingSocket socket) {
        this.socket = socket;
    }

    /** Connects, opens the ISO transport connection and sets up S7 communication, all within {@code timeoutMs}. */
    static IsoTcpClient connect(ConnectionSettings settings) throws IOException {
        long timeoutMs = settings.requestTimeoutMs();
        BlockingSocket socket = BlockingSocket.connect(settings.host(), settings.port(), (int) timeoutMs, settings.peer());
        try {
            IsoTcpClient client = new IsoTcpClient(socket);
            long deadline = BlockingSocket.deadline(timeoutMs);
            client.openTransport(settings, deadline, timeoutMs);
            client.setupCommunication(settings, deadline, timeoutMs);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** COTP connection request with the TSAPs and a TPDU size of 1024; the CPU must confirm. */
    private void openTransport(ConnectionSettings settings, long deadline, long timeoutMs) throws IOException {
        byte[] cr = {TPKT_VERSION, 0, 0, 22,
                17, (byte) COTP_CONNECT_REQUEST, 0, 0, 0, 1, 0,
                (byte) 0xC0, 1, 0x0A,
                (byte) 0xC1, 2, (byte) (settings.localTsap() >> 8), (byte) settings.localTsap(),
                (byte) 0xC2, 2, (byte) (settings.remoteTsap() >> 8), (byte) settings.remoteTsap()};
        socket.write(cr, 0, cr.length);
        int length = readFrame(deadline, timeoutMs);
        // raw[4]: COTP length indicator; raw[5]: the TPDU code
        if (length < 7 || (raw[5] & 0xF0) != COTP_CONNECT_CONFIRM) {
            throw new S7ProtocolException(String.format("the PLC did not confirm the ISO connection (TPDU code 0x%02x); "
                    + "check remote-rack/remote-slot (TSAP 0x%04x)", raw[5] & 0xFF, settings.remoteTsap()));
        }
    }

    private void setupCommunication(ConnectionSettings settings, long deadline, long timeoutMs) throws IOException {
        byte[] parameters = new byte[8];
        parameters[0] = (byte) SETUP_COMMUNICATION;
        BigEndian.put(parameters, 2, 2, settings.maxAmqCaller());
        BigEndian.put(parameters, 4, 2, settings.maxAmqCallee());
        BigEndian.put(parameters, 6, 2, settings.pduSize());
        System.arraycopy(parameters, 0, request, S7_START + 10, 8);
        int length = exchangeUntil(8, 0, deadline, timeoutMs);
        int at = S7_START + 12;
        if (length < 12 + 8 || (answer[at] & 0xFF) != SETUP_COMMUNICATION) {
            throw new S7ProtocolException("not an answer to Setup communication");
        }
        int offered = BigEndian.u16(answer, at + 6);
        if (offered < 64) {
            throw new S7ProtocolException("the PLC offers a PDU of " + offered + " bytes");
        }
        pduSize = Math.min(offered, settings.pduSize());
        request = new byte[S7_START + pduSize];
        answer = new byte[S7_START + pduSize];
        raw = new byte[S7_START + pduSize];
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** The PDU size both sides agreed: no request or answer is longer. */
    int pduSize() {
        return pduSize;
    }

    /** Where the caller puts a request's parameters and data: {@code request()[S7_START + 10 ...]}. */
    byte[] request() {
        return request;
    }

    /**
     * Sends the S7comm job whose parameters ({@code parameterLength} bytes) and data ({@code dataLength}) the caller
     * put into {@link #request()} after the 10-byte header, and returns the answer's length from its header on;
     * the answer is at {@link #answer()} from {@link #S7_START}, its parameters from {@code S7_START + 12}.
     *
     * @throws S7ErrorAnswer         the PLC refused the whole job (error class/code in the header); the connection stays open
     * @throws SocketTimeoutException no complete answer within {@code timeoutMs}
     * @throws IOException            connection failed or the answer is not ISO-on-TCP / S7comm
     */
    int exchange(int parameterLength, int dataLength, long timeoutMs) throws IOException {
        if (!isOpen()) {
            throw new EOFException("connection closed");
        }
        try {
            return exchangeUntil(parameterLength, dataLength, BlockingSocket.deadline(timeoutMs), timeoutMs);
        } catch (S7ErrorAnswer e) {
            throw e; // a complete, well-formed answer: the stream is in step
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private int exchangeUntil(int parameterLength, int dataLength, long deadline, long timeoutMs) throws IOException {
        int s7Length = 10 + parameterLength + dataLength;
        if (s7Length > request.length - S7_START) {
            throw new IllegalStateException("request of " + s7Length + " bytes exceeds the PDU size");
        }
        pduReference = (pduReference + 1) & 0xFFFF;
        int total = S7_START + s7Length;
        request[0] = TPKT_VERSION;
        request[1] = 0;
        BigEndian.put(request, 2, 2, total);
        request[4] = 2;
        request[5] = (byte) COTP_DATA;
        request[6] = (byte) 0x80; // last data unit
        request[7] = S7_PROTOCOL_ID;
        request[8] = ROSCTR_JOB;
        request[9] = 0;
        request[10] = 0;
        BigEndian.put(request, 11, 2, pduReference);
        BigEndian.put(request, 13, 2, parameterLength);
        BigEndian.put(request, 15, 2, dataLength);
        socket.write(request, 0, total);

        int length = readS7(deadline, timeoutMs);
        if (length < 12 || (answer[S7_START] & 0xFF) != S7_PROTOCOL_ID) {
            throw new S7ProtocolException("not an S7comm answer (" + length + " bytes, protocol id "
                    + (length > 0 ? String.format("0x%02x", answer[S7_START] & 0xFF) : "none") + ")");
        }
        int rosctr = answer[S7_START + 1] & 0xFF;
        int reference = BigEndian.u16(answer, S7_START + 4);
        if (rosctr != ROSCTR_ACK_DATA) {
            throw new S7ProtocolException("S7comm answer of type " + rosctr + ", expected Ack_Data (3)");
        }
        if (reference != pduReference) {
            throw new S7ProtocolException("answer to PDU " + reference + ", expected " + pduReference);
        }
        int answerParameters = BigEndian.u16(answer, S7_START + 6);
        int answerData = BigEndian.u16(answer, S7_START + 8);
        if (12 + answerParameters + answerData != length) {
            throw new S7ProtocolException("S7comm answer of " + length + " bytes announces " + answerParameters
                    + " parameter and " + answerData + " data bytes");
        }
        int errorClass = answer[S7_START + 10] & 0xFF;
        int errorCode = answer[S7_START + 11] & 0xFF;
        if (errorClass != 0 || errorCode != 0) {
            throw new S7ErrorAnswer(errorClass, errorCode);
        }
        return length;
    }

    /**
     * Reads COTP data units until the last one, gathering their payload at {@link #S7_START} of {@link #answer};
     * returns the S7comm PDU's length. As a rule a whole answer arrives in one read.
     */
    private int readS7(long deadline, long timeoutMs) throws IOException {
        int have = 0;
        int pos = 0;
        int gathered = 0;
        while (true) {
            if (pos > 0) { // a further data unit: keep what was read ahead, drop the units already taken
                System.arraycopy(raw, pos, raw, 0, have - pos);
                have -= pos;
                pos = 0;
            }
            have = readAtLeast(have, S7_START, deadline, timeoutMs);
            int frame = checkTpkt(raw);
            if ((raw[5] & 0xFF) != COTP_DATA || raw[4] != 2 || frame < S7_START) {
                throw new S7ProtocolException(String.format("expected an ISO data unit, got TPDU code 0x%02x", raw[5] & 0xFF));
            }
            int payload = frame - S7_START;
            if (S7_START + gathered + payload > answer.length) {
                throw new S7ProtocolException("answer longer than the agreed PDU size " + pduSize);
            }
            have = readAtLeast(have, frame, deadline, timeoutMs);
            System.arraycopy(raw, S7_START, answer, S7_START + gathered, payload);
            gathered += payload;
            pos = frame;
            if ((raw[6] & 0x80) != 0) {
                if (have != pos) {
                    throw new S7ProtocolException((have - pos) + " bytes after the answer: out of step");
                }
                return gathered;
            }
        }
    }

    /** Reads one whole TPKT frame into {@link #raw} from 0 (a connect confirm); returns its length. */
    private int readFrame(long deadline, long timeoutMs) throws IOException {
        int have = readAtLeast(0, 4, deadline, timeoutMs);
        int length = checkTpkt(raw);
        if (length > raw.length) {
            throw new S7ProtocolException("ISO frame of " + length + " bytes during connect");
        }
        have = readAtLeast(have, length, deadline, timeoutMs);
        if (have != length) {
            throw new S7ProtocolException((have - length) + " bytes after the connect confirm: out of step");
        }
        return length;
    }

    private static int checkTpkt(byte[] b) throws S7ProtocolException {
        if (b[0] != TPKT_VERSION || b[1] != 0) {
            throw new S7ProtocolException(String.format("not an ISO-on-TCP frame (TPKT version 0x%02x)", b[0] & 0xFF));
        }
        int length = BigEndian.u16(b, 2);
        if (length < 7) {
            throw new S7ProtocolException("ISO-on-TCP frame of length " + length);
        }
        return length;
    }

    /** Reads until {@link #raw} holds at least {@code need} bytes; returns how many it holds. */
    private int readAtLeast(int have, int need, long deadline, long timeoutMs) throws IOException {
        if (need > raw.length) {
            throw new S7ProtocolException("ISO frame of " + need + " bytes exceeds the agreed PDU size " + pduSize);
        }
        return socket.readAtLeast(raw, have, need, deadline, timeoutMs);
    }

    /** The last answer: S7comm header from {@link #S7_START}, parameters from {@code S7_START + 12}. */
    byte[] answer() {
        return answer;
    }

    @Override
    public void close() {
        socket.close();
    }
}
