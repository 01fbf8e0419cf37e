package site.gateway.plc.modbus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.BigEndian;
import site.gateway.support.plcdriver.BlockingSocket;
import site.gateway.support.plcdriver.ClientSession;
import site.gateway.support.plcdriver.DriverValue;
import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagWriteRequest;

/**
 * Reads and writes tags over one {@link ModbusClient}, on the calling thread. A Modbus exception answer makes the
 * tags of that request {@code bad} (logged once per tag and code for the connection); anything else that goes wrong
 * fails the whole operation, and the client has closed the connection.
 */
final class TagExchanges extends ClientSession<ModbusClient> implements TagConnection.TagSession<ModbusAddress> {
    private static final Logger LOG = LoggerFactory.getLogger(TagExchanges.class);
    private static final int ILLEGAL_DATA_ADDRESS = 2;
    private static final int PDU_DATA_START = 9; // MBAP header (7), function code, byte count

    private final ConnectionSettings settings;
    private final byte[] pdu = new byte[253];
    private final byte[] element = new byte[8];
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TagExchanges(ModbusClient client, ConnectionSettings settings) {
        super(client);
        this.settings = settings;
    }

    TagReadRequest.Results read(List<ReadPlan.Chunk> chunks, long timeoutMs) throws IOException {
        long deadline = BlockingSocket.deadline(timeoutMs);
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        Map<String, PlcValue> values = new LinkedHashMap<>();
        for (ReadPlan.Chunk chunk : chunks) {
            if (chunk.split) {
                for (ReadPlan.Entry entry : chunk.entries) {
                    ModbusAddress a = entry.address();
                    readRange(chunk.area, a.offset(), a.units(), List.of(entry), deadline, codes, values);
                }
                continue;
            }
            ModbusExceptionResponse refused = readRange(chunk.area, chunk.start, chunk.count, chunk.entries, deadline, codes, values);
            if (refused != null && refused.code() == ILLEGAL_DATA_ADDRESS && chunk.entries.size() > 1) {
                chunk.split = true;
                for (ReadPlan.Entry entry : chunk.entries) {
                    ModbusAddress a = entry.address();
                    readRange(chunk.area, a.offset(), a.units(), List.of(entry), deadline, codes, values);
                }
            }
        }
        return new TagReadRequest.Results(codes, values);
    }

    /** One read request; its tags' results go into the maps. Returns the exception answer, if it was one. */
    private ModbusExceptionResponse readRange(Area area, int start, int count, List<ReadPlan.Entry> entries, long deadline,
            Map<String, PlcResponseCode> codes, Map<String, PlcValue> values) throws IOException {
        pdu[0] = (byte) area.readFunction;
        BigEndian.put(pdu, 1, 2, start);
        BigEndian.put(pdu, 3, 2, count);
        int length;
        try {
            length = client.exchange(settings.unitId(), pdu, 5, BlockingSocket.remainingMs(deadline));
        } catch (ModbusExceptionResponse e) {
            for (ReadPlan.Entry entry : entries) {
                codes.put(entry.name(), e.responseCode());
                reportOnce(entry.address(), e);
            }
            return e;
        }
        byte[] answer = client.answer();
        int expected = area.bits ? (count + 7) / 8 : count * 2;
        if (length < 2 || (answer[8] & 0xFF) != expected || length != expected + 2) {
            close();
            throw new ModbusProtocolException("answer carries " + (answer[8] & 0xFF) + " data bytes, expected " + expected);
        }
        for (ReadPlan.Entry entry : entries) {
            codes.put(entry.name(), PlcResponseCode.OK);
            values.put(entry.name(), decode(entry.address(), answer, entry.address().offset() - start));
        }
        return null;
    }

    private PlcValue decode(ModbusAddress address, byte[] answer, int relative) {
        return DriverValue.of(address.type().plcValueType(), address.quantity(), k -> {
            if (address.area().bits) {
                int bit = relative + k;
                return (answer[PDU_DATA_START + bit / 8] >> (bit % 8) & 1) != 0;
            }
            int size = address.type().registers * 2;
            System.arraycopy(answer, PDU_DATA_START + relative * 2 + k * size, element, 0, size);
            settings.byteOrder().toBigEndian(element, 0, size);
            return address.type().decode(element, 0);
        });
    }

    /** Writes each tag's payload (made by {@link #payload}); a refused tag gets its code, the others go on. */
    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<ModbusAddress>> items, long timeoutMs) throws IOException {
        long deadline = BlockingSocket.deadline(timeoutMs);
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        for (TagWriteRequest.Item<ModbusAddress> item : items) {
            ModbusAddress a = item.address();
            int length = writePdu(a, item.payload());
            try {
                client.exchange(settings.unitId(), pdu, length, BlockingSocket.remainingMs(deadline));
                codes.put(item.name(), PlcResponseCode.OK);
            } catch (ModbusExceptionResponse e) {
                codes.put(item.name(), e.responseCode());
                LOG.warn("Modbus {}: write of {} refused: {}", settings.peer(), a.text(), e.getMessage());
            }
        }
        return codes;
    }

    /** Single coil / register: function 5 / 6 (what every device has); more: 15 / 16. */
    private int writePdu(ModbusAddress a, byte[] payload) {
        BigEndian.put(pdu, 1, 2, a.offset());
        if (a.area().bits && a.quantity() == 1) {
            pdu[0] = 5;
            BigEndian.put(pdu, 3, 2, payload[0] != 0 ? 0xFF00 : 0);
            return 5;
        }
        if (!a.area().bits && a.units() == 1) {
            pdu[0] = 6;
            System.arraycopy(payload, 0, pdu, 3, 2);
            return 5;
        }
        pdu[0] = (byte) (a.area().bits ? 15 : 16);
        BigEndian.put(pdu, 3, 2, a.units());
        pdu[5] = (byte) payload.length;
        System.arraycopy(payload, 0, pdu, 6, payload.length);
        return 6 + payload.length;
    }

    /** The bytes a write sends for {@code values} (one per element), in the device's byte order. */
    static byte[] payload(ModbusAddress a, Object[] values, PayloadByteOrder order) {
        if (values.length != a.quantity()) {
            throw new IllegalArgumentException("'" + a.text() + "' takes " + a.quantity() + " value(s), not " + values.length);
        }
        if (!a.area().writable) {
            throw new IllegalArgumentException("'" + a.text() + "' is in a read-only Modbus area");
        }
        if (a.area().bits) {
            byte[] bits = new byte[(values.length + 7) / 8];
            byte[] bool = new byte[2];
            for (int k = 0; k < values.length; k++) {
                DataType.BOOL.encode(values[k], bool, 0);
                bits[k / 8] |= (byte) (bool[1] << (k % 8));
            }
            return bits;
        }
        int size = a.type().registers * 2;
        byte[] bytes = new byte[size * values.length];
        for (int k = 0; k < values.length; k++) {
            a.type().encode(values[k], bytes, k * size);
            order.toBigEndian(bytes, k * size, size);
        }
        return bytes;
    }

    private void reportOnce(ModbusAddress address, ModbusExceptionResponse e) {
        if (reported.add(address.text() + "#" + e.code())) {
            LOG.warn("Modbus {}: '{}' answered {}; the tag reads bad", settings.peer(), address.text(), e.getMessage());
        }
    }

}
