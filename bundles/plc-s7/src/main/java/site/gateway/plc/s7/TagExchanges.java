package site.gateway.plc.s7;

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
 * Reads and writes tags over one {@link IsoTcpClient} with S7comm's Read Var and Write Var, on the calling thread.
 * An item the PLC refuses (return code other than 0xFF) or a job it refuses as a whole makes those tags {@code bad}
 * (logged once per tag and code for the connection); an answer that breaks the protocol closes the connection and
 * fails the whole operation, as does any I/O failure.
 */
final class TagExchanges extends ClientSession<IsoTcpClient> implements TagConnection.TagSession<S7Address> {
    private static final Logger LOG = LoggerFactory.getLogger(TagExchanges.class);
    private static final int READ_VAR = 0x04;
    private static final int WRITE_VAR = 0x05;
    private static final int SPEC_BIT = 0x01;
    private static final int SPEC_BYTE = 0x02;
    private static final int DATA_BIT = 0x03;
    private static final int DATA_BYTE = 0x04;
    private static final int PARAMETERS = IsoTcpClient.S7_START + 10; // where a job's parameters start
    private static final int ANSWER_PARAMETERS = IsoTcpClient.S7_START + 12;

    private final ConnectionSettings settings;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TagExchanges(IsoTcpClient client, ConnectionSettings settings) {
        super(client);
        this.settings = settings;
    }

    int pduSize() {
        return client.pduSize();
    }

    TagReadRequest.Results read(ReadPlan plan, long timeoutMs) throws IOException {
        long deadline = BlockingSocket.deadline(timeoutMs);
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        Map<String, PlcValue> values = new LinkedHashMap<>();
        for (ReadPlan.Entry entry : plan.oversize) {
            codes.put(entry.name(), PlcResponseCode.INVALID_ADDRESS);
            reportOnce(entry.address(), "spans " + entry.address().byteLength() + " bytes, more than one answer carries at the PDU size "
                    + plan.pduSize + " (" + ReadPlan.maxItemBytes(plan.pduSize) + ")");
        }
        List<ReadPlan.Range> refused = new ArrayList<>();
        for (List<ReadPlan.Range> request : plan.requests()) {
            readItems(request, deadline, codes, values, refused);
        }
        if (!refused.isEmpty()) {
            for (List<ReadPlan.Range> request : ReadPlan.pack(plan.split(refused), plan.pduSize)) {
                readItems(request, deadline, codes, values, null);
            }
        }
        return new TagReadRequest.Results(codes, values);
    }

    /** One Read Var request; its tags' results go into the maps. Merged items refused as out of range go to {@code refused}. */
    private void readItems(List<ReadPlan.Range> items, long deadline, Map<String, PlcResponseCode> codes,
            Map<String, PlcValue> values, List<ReadPlan.Range> refused) throws IOException {
        byte[] r = client.request();
        int p = PARAMETERS;
        r[p++] = READ_VAR;
        r[p++] = (byte) items.size();
        for (ReadPlan.Range item : items) {
            p = itemSpec(r, p, SPEC_BYTE, item.length, item.area, item.db, item.start * 8);
        }
        int length;
        try {
            length = client.exchange(p - PARAMETERS, 0, BlockingSocket.remainingMs(deadline));
        } catch (S7ErrorAnswer e) {
            for (ReadPlan.Range item : items) {
                for (ReadPlan.Entry entry : item.entries) {
                    codes.put(entry.name(), e.responseCode());
                    reportOnce(entry.address(), e.getMessage());
                }
            }
            return;
        }
        byte[] a = client.answer();
        int d = checkParameters(a, READ_VAR, items.size());
        int end = IsoTcpClient.S7_START + length;
        for (int i = 0; i < items.size(); i++) {
            ReadPlan.Range item = items.get(i);
            if (d + 4 > end) {
                throw protocolError("Read Var answer ends after " + i + " of " + items.size() + " items");
            }
            int code = a[d] & 0xFF;
            // a refused item carries no data, whatever its length field says (snap7 puts 4 there)
            int bytes = code == ItemCode.SUCCESS ? dataBytes(a[d + 1] & 0xFF, BigEndian.u16(a, d + 2)) : 0;
            if (d + 4 + bytes > end) {
                throw protocolError("Read Var answer item " + i + " announces " + bytes + " bytes past the answer's end");
            }
            if (code != ItemCode.SUCCESS) {
                boolean splits = refused != null && code == ItemCode.ADDRESS_OUT_OF_RANGE && item.entries.size() > 1;
                for (ReadPlan.Entry entry : item.entries) {
                    codes.put(entry.name(), ItemCode.responseCode(code));
                    if (!splits) {
                        reportOnce(entry.address(), ItemCode.describe(code));
                    }
                }
                if (splits) {
                    refused.add(item);
                }
            } else {
                if (bytes != item.length) {
                    throw protocolError("Read Var answer item " + i + " carries " + bytes + " bytes, " + item.length + " asked for");
                }
                for (ReadPlan.Entry entry : item.entries) {
                    codes.put(entry.name(), PlcResponseCode.OK);
                    values.put(entry.name(), decode(entry.address(), a, d + 4 + entry.address().offset() - item.start));
                }
            }
            d += 4 + bytes + (i < items.size() - 1 ? bytes & 1 : 0);
        }
    }

    /** Checks an answer's parameters (function, item count); returns where its data starts. */
    private int checkParameters(byte[] a, int function, int items) throws IOException {
        int parameterLength = BigEndian.u16(a, IsoTcpClient.S7_START + 6);
        if (parameterLength != 2 || (a[ANSWER_PARAMETERS] & 0xFF) != function || (a[ANSWER_PARAMETERS + 1] & 0xFF) != items) {
            throw protocolError(String.format("answer with function 0x%02x and %d items to a request with function 0x%02x and %d items",
                    a[ANSWER_PARAMETERS] & 0xFF, a[ANSWER_PARAMETERS + 1] & 0xFF, function, items));
        }
        return ANSWER_PARAMETERS + 2;
    }

    /** Bytes of an answer item: lengths of bit, byte/word/dword and integer transport sizes count bits. */
    private static int dataBytes(int transportSize, int length) {
        return transportSize == DATA_BIT || transportSize == DATA_BYTE || transportSize == 0x05 ? (length + 7) / 8 : length;
    }

    private static PlcValue decode(S7Address address, byte[] a, int at) {
        int size = address.type().size(address.length());
        return DriverValue.of(address.type().plcValueType(), address.count(), k -> address.type() == DataType.BOOL
                ? DataType.bit(a, at, address.bit() + k) : address.type().decode(a, at + k * size, address.length()));
    }

    /** Writes the items (payloads made by {@link #payload}), packed into as few Write Var requests as the PDU allows. */
    @Override
    public Map<String, PlcResponseCode> write(List<TagWriteRequest.Item<S7Address>> items, long timeoutMs) throws IOException {
        long deadline = BlockingSocket.deadline(timeoutMs);
        Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
        int pdu = client.pduSize();
        List<TagWriteRequest.Item<S7Address>> batch = new ArrayList<>();
        int size = 12;
        for (TagWriteRequest.Item<S7Address> item : items) {
            int itemSize = 12 + 4 + item.payload().length + 1; // spec, data header, data, pad at most
            if (12 + itemSize > pdu) {
                codes.put(item.name(), PlcResponseCode.INVALID_ADDRESS);
                LOG.warn("S7 {}: write of {} refused: {} bytes do not fit the PDU size {}", settings.peer(), item.address().text(),
                        item.payload().length, pdu);
                continue;
            }
            if (!batch.isEmpty() && (size + itemSize > pdu || batch.size() == ReadPlan.MAX_ITEMS)) {
                writeItems(batch, deadline, codes);
                batch.clear();
                size = 12;
            }
            batch.add(item);
            size += itemSize;
        }
        if (!batch.isEmpty()) {
            writeItems(batch, deadline, codes);
        }
        return codes;
    }

    private void writeItems(List<TagWriteRequest.Item<S7Address>> items, long deadline, Map<String, PlcResponseCode> codes) throws IOException {
        byte[] r = client.request();
        int p = PARAMETERS;
        r[p++] = WRITE_VAR;
        r[p++] = (byte) items.size();
        for (TagWriteRequest.Item<S7Address> item : items) {
            S7Address a = item.address();
            boolean bit = a.type() == DataType.BOOL;
            p = itemSpec(r, p, bit ? SPEC_BIT : SPEC_BYTE, item.payload().length, a.area(), a.db(), a.offset() * 8 + (bit ? a.bit() : 0));
        }
        int parameters = p - PARAMETERS;
        for (int i = 0; i < items.size(); i++) {
            TagWriteRequest.Item<S7Address> item = items.get(i);
            byte[] payload = item.payload();
            boolean bit = item.address().type() == DataType.BOOL;
            r[p] = 0;
            r[p + 1] = (byte) (bit ? DATA_BIT : DATA_BYTE);
            BigEndian.put(r, p + 2, 2, bit ? 1 : payload.length * 8);
            System.arraycopy(payload, 0, r, p + 4, payload.length);
            p += 4 + payload.length;
            if ((payload.length & 1) != 0 && i < items.size() - 1) {
                r[p++] = 0;
            }
        }
        try {
            client.exchange(parameters, p - PARAMETERS - parameters, BlockingSocket.remainingMs(deadline));
        } catch (S7ErrorAnswer e) {
            for (TagWriteRequest.Item<S7Address> item : items) {
                codes.put(item.name(), e.responseCode());
                LOG.warn("S7 {}: write of {} refused: {}", settings.peer(), item.address().text(), e.getMessage());
            }
            return;
        }
        byte[] a = client.answer();
        int d = checkParameters(a, WRITE_VAR, items.size());
        if (BigEndian.u16(a, IsoTcpClient.S7_START + 8) != items.size()) {
            throw protocolError("Write Var answer carries " + BigEndian.u16(a, IsoTcpClient.S7_START + 8) + " return codes for "
                    + items.size() + " items");
        }
        for (int i = 0; i < items.size(); i++) {
            TagWriteRequest.Item<S7Address> item = items.get(i);
            int code = a[d + i] & 0xFF;
            codes.put(item.name(), ItemCode.responseCode(code));
            if (code != ItemCode.SUCCESS) {
                LOG.warn("S7 {}: write of {} refused: {}", settings.peer(), item.address().text(), ItemCode.describe(code));
            }
        }
    }

    /** An item specification (S7ANY): transport size, count, DB, area, bit address. */
    private static int itemSpec(byte[] r, int p, int transportSize, int count, Area area, int db, int bitAddress) {
        r[p] = 0x12;
        r[p + 1] = 0x0A;
        r[p + 2] = 0x10;
        r[p + 3] = (byte) transportSize;
        BigEndian.put(r, p + 4, 2, count);
        BigEndian.put(r, p + 6, 2, db);
        r[p + 8] = (byte) area.code;
        BigEndian.put(r, p + 9, 3, bitAddress);
        return p + 12;
    }

    /** The bytes a write sends for {@code values} (one per element). */
    static byte[] payload(S7Address a, Object[] values) {
        if (values.length != a.count()) {
            throw new IllegalArgumentException("'" + a.text() + "' takes " + a.count() + " value(s), not " + values.length);
        }
        if (a.type() == DataType.BOOL && a.count() > 1) {
            throw new IllegalArgumentException("'" + a.text() + "': the gateway's S7 driver writes BOOL arrays one BOOL at a time");
        }
        int size = a.type().size(a.length());
        byte[] bytes = new byte[size * values.length];
        for (int k = 0; k < values.length; k++) {
            a.type().encode(values[k], bytes, k * size, a.length());
        }
        return bytes;
    }

    private void reportOnce(S7Address address, String reason) {
        if (reported.add(address.text() + "#" + reason)) {
            LOG.warn("S7 {}: '{}': {}; the tag reads bad", settings.peer(), address.text(), reason);
        }
    }

    private S7ProtocolException protocolError(String message) {
        client.close();
        byte[] a = client.answer();
        int length = IsoTcpClient.S7_START + Math.min(12 + BigEndian.u16(a, IsoTcpClient.S7_START + 6) + BigEndian.u16(a, IsoTcpClient.S7_START + 8), 64);
        LOG.warn("S7 {}: {}; closing the connection (answer from its S7comm header: {})", settings.peer(), message,
                java.util.HexFormat.of().formatHex(a, IsoTcpClient.S7_START, Math.min(length, a.length)));
        return new S7ProtocolException(message);
    }
}
