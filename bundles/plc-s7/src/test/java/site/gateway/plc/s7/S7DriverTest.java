package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.DriverReads;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import site.gateway.testsupport.S7TestServer;

/** The driver through PLC4X's API against a real S7 server: snap7's (tools/s7-server), on loopback. */
class S7DriverTest {
    private static final long TIMEOUT_MS = 2000;

    private final S7Driver driver = new S7Driver();
    private S7TestServer server;
    private PlcConnection connection;

    @BeforeEach
    void start() throws Exception {
        String unavailable = S7TestServer.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "S7 tests skipped: " + unavailable);
        server = new S7TestServer(Map.of(1, 1200, 2, 16));
        connection = driver.getConnection(server.connection() + "&remote-rack=0&remote-slot=2&pdu-size=480");
        connection.connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readsEveryTypeWithPlc4xsJavaTypes() throws Exception {
        server.set(1, 0, HexFormat.of().parseHex("81" + "fb" + "fb2e" + "fffffffe" + "41ac0000" + "4035800000000000"
                + "ffffffffffffffff" + "41" + "0000"));
        server.set(1, 30, new byte[] {10, 9, 'p', 'a', 'l', 'l', 'e', 't', '-', '4', '2', 0});
        server.set(1, 50, HexFormat.of().parseHex("000100020003" + "05"));

        PlcReadResponse r = read("bit0", "%DB1.DBX0.0:BOOL", "bit7", "%DB1.DBX0.7:BOOL", "bit1", "%DB1.DBX0.1:BOOL",
                "byte", "%DB1.DBB1:BYTE", "usint", "%DB1:1:USINT", "sint", "%DB1:1:SINT",
                "int", "%DB1.DBW2:INT", "uint", "%DB1.DBW2:UINT", "word", "%DB1.DBW2:WORD",
                "dint", "%DB1.DBD4:DINT", "udint", "%DB1.DBD4:UDINT", "dword", "%DB1.DBD4:DWORD",
                "real", "%DB1.DBD8:REAL", "lreal", "%DB1:12:LREAL", "lint", "%DB1:20:LINT", "ulint", "%DB1:20:ULINT",
                "lword", "%DB1:20:LWORD", "char", "%DB1:28:CHAR", "string", "%DB1.DBB30:STRING(10)",
                "ints", "%DB1:50:INT[3]", "bools", "%DB1.DBX56.0:BOOL[3]");

        assertThat(value(r, "bit0")).isEqualTo(true);
        assertThat(value(r, "bit7")).isEqualTo(true);
        assertThat(value(r, "bit1")).isEqualTo(false);
        assertThat(r.getPlcValue("bit0").getPlcValueType()).isEqualTo(PlcValueType.BOOL);
        assertThat(value(r, "byte")).isEqualTo((short) 0xFB);
        assertThat(value(r, "usint")).isEqualTo((short) 0xFB);
        assertThat(value(r, "sint")).isEqualTo((byte) -5);
        assertThat(value(r, "int")).isEqualTo((short) -1234);
        assertThat(value(r, "uint")).isEqualTo(0xFB2E);
        assertThat(value(r, "word")).isEqualTo(0xFB2E);
        assertThat(value(r, "dint")).isEqualTo(-2);
        assertThat(value(r, "udint")).isEqualTo(0xFFFF_FFFEL);
        assertThat(value(r, "dword")).isEqualTo(0xFFFF_FFFEL);
        assertThat(value(r, "real")).isEqualTo(21.5f);
        assertThat(value(r, "lreal")).isEqualTo(21.5);
        assertThat(value(r, "lint")).isEqualTo(-1L);
        assertThat(value(r, "ulint")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(value(r, "lword")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(value(r, "char")).isEqualTo("A");
        assertThat(value(r, "string")).isEqualTo("pallet-42");
        assertThat(r.getPlcValue("ints").getList()).extracting(PlcValue::getObject).containsExactly((short) 1, (short) 2, (short) 3);
        assertThat(r.getPlcValue("bools").getList()).extracting(PlcValue::getObject).containsExactly(true, false, true);
    }

    @Test
    void writesEveryTypeThatReadsBack() throws Exception {
        Map<String, Object[]> writes = new java.util.LinkedHashMap<>();
        writes.put("%DB1.DBX0.3:BOOL", new Object[] {true});
        writes.put("%DB1.DBB1:BYTE", new Object[] {200});
        writes.put("%DB1.DBW2:INT", new Object[] {-300});
        writes.put("%DB1.DBW4:UINT", new Object[] {65000});
        writes.put("%DB1.DBD6:DINT", new Object[] {70_000});
        writes.put("%DB1.DBD10:UDINT", new Object[] {4_000_000_000L});
        writes.put("%DB1.DBD14:REAL", new Object[] {1.5});
        writes.put("%DB1:18:LREAL", new Object[] {-2.25});
        writes.put("%DB1:26:LINT", new Object[] {Long.MIN_VALUE});
        writes.put("%DB1:34:SINT", new Object[] {-7});
        writes.put("%DB1:35:CHAR", new Object[] {"x"});
        writes.put("%DB1.DBB36:STRING(10)", new Object[] {"bay-7"});
        writes.put("%DB1:48:INT[3]", new Object[] {1, -2, 3});
        writes.put("%DB1.DBW54:WORD", new Object[] {0xBEEF});
        writes.put("%DB1.DBD56:DWORD", new Object[] {0xDEADBEEFL});
        PlcWriteRequest.Builder builder = connection.writeRequestBuilder();
        writes.forEach((address, values) -> builder.addTagAddress(address, address, values));

        PlcWriteResponse written = builder.build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        for (String address : writes.keySet()) {
            assertThat(written.getResponseCode(address)).as(address).isEqualTo(PlcResponseCode.OK);
        }
        assertThat(server.get(1, 0, 1)[0]).isEqualTo((byte) 0b1000);
        assertThat(ByteBuffer.wrap(server.get(1, 2, 2)).getShort()).isEqualTo((short) -300);
        assertThat(ByteBuffer.wrap(server.get(1, 6, 4)).getInt()).isEqualTo(70_000);
        assertThat(ByteBuffer.wrap(server.get(1, 14, 4)).getFloat()).isEqualTo(1.5f);
        byte[] string = server.get(1, 36, 7);
        assertThat(string[0]).isEqualTo((byte) 10);
        assertThat(new String(string, 1, 6, StandardCharsets.ISO_8859_1)).isEqualTo("\u0005bay-7");

        PlcReadRequest.Builder reads = connection.readRequestBuilder();
        writes.keySet().forEach(address -> reads.addTagAddress(address, address));
        PlcReadResponse r = reads.build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(value(r, "%DB1.DBX0.3:BOOL")).isEqualTo(true);
        assertThat(value(r, "%DB1.DBB1:BYTE")).isEqualTo((short) 200);
        assertThat(value(r, "%DB1.DBW2:INT")).isEqualTo((short) -300);
        assertThat(value(r, "%DB1.DBW4:UINT")).isEqualTo(65000);
        assertThat(value(r, "%DB1.DBD6:DINT")).isEqualTo(70_000);
        assertThat(value(r, "%DB1.DBD10:UDINT")).isEqualTo(4_000_000_000L);
        assertThat(value(r, "%DB1.DBD14:REAL")).isEqualTo(1.5f);
        assertThat(value(r, "%DB1:18:LREAL")).isEqualTo(-2.25);
        assertThat(value(r, "%DB1:26:LINT")).isEqualTo(Long.MIN_VALUE);
        assertThat(value(r, "%DB1:34:SINT")).isEqualTo((byte) -7);
        assertThat(value(r, "%DB1:35:CHAR")).isEqualTo("x");
        assertThat(value(r, "%DB1.DBB36:STRING(10)")).isEqualTo("bay-7");
        assertThat(r.getPlcValue("%DB1:48:INT[3]").getList()).extracting(PlcValue::getObject).containsExactly((short) 1, (short) -2, (short) 3);
        assertThat(value(r, "%DB1.DBW54:WORD")).isEqualTo(0xBEEF);
        assertThat(value(r, "%DB1.DBD56:DWORD")).isEqualTo(0xDEADBEEFL);
    }

    @Test
    void aBoolWriteChangesOnlyItsBit() throws Exception {
        server.set(2, 0, new byte[] {(byte) 0xF0});
        write("%DB2.DBX0.0:BOOL", true);
        write("%DB2.DBX0.7:BOOL", false);
        assertThat(server.get(2, 0, 1)[0]).isEqualTo((byte) 0x71);
    }

    @Test
    void tagsBeyondOneAnswerAreSplitOverRequestsByTheAgreedPduSize() throws Exception {
        assertThat(((S7Connection) connection).exchanges().pduSize()).as("snap7 agrees what the client offers").isEqualTo(480);
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        for (int i = 0; i < 4; i++) {
            String text = "string-" + i;
            ByteBuffer s = ByteBuffer.allocate(202).put((byte) 200).put((byte) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
            server.set(1, 250 * i, s.array());
            builder.addTagAddress("s" + i, "%DB1:" + (250 * i) + ":STRING(200)");
        }
        for (int i = 0; i < 30; i++) {
            server.set(1, 1000 + 6 * i, ByteBuffer.allocate(2).putShort((short) (100 + i)).array());
            builder.addTagAddress("i" + i, "%DB1.DBW" + (1000 + 6 * i) + ":INT");
        }
        PlcReadRequest request = builder.build();
        PlcReadResponse r = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        // two 202-byte strings per 480-byte answer; the 30 INTs, 4 bytes apart, one 176-byte item of a third
        assertThat(((S7Reader) ((TagReadRequest<?>) request).reader()).plan(480).requests()).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(((S7Reader) ((TagReadRequest<?>) request).reader()).plan(480).requests().get(2).get(0).entries).hasSize(30);
        for (int i = 0; i < 4; i++) {
            assertThat(value(r, "s" + i)).isEqualTo("string-" + i);
        }
        for (int i = 0; i < 30; i++) {
            assertThat(value(r, "i" + i)).isEqualTo((short) (100 + i));
        }
    }

    @Test
    void addressesTheServerDoesNotHaveAreBadWhileTheirNeighboursStayGood() throws Exception {
        server.set(2, 0, HexFormat.of().parseHex("0007"));
        server.set(2, 14, HexFormat.of().parseHex("0009"));
        PlcReadRequest request = connection.readRequestBuilder().addTagAddress("first", "%DB2.DBW0:INT")
                .addTagAddress("last", "%DB2.DBW14:INT").addTagAddress("beyond", "%DB2.DBW20:INT")
                .addTagAddress("nodb", "%DB9.DBW0:INT").build();

        for (int poll = 0; poll < 2; poll++) {
            PlcReadResponse r = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertThat(r.getResponseCode("first")).isEqualTo(PlcResponseCode.OK);
            assertThat(value(r, "first")).isEqualTo((short) 7);
            assertThat(value(r, "last")).isEqualTo((short) 9);
            assertThat(r.getResponseCode("beyond")).isEqualTo(PlcResponseCode.INVALID_ADDRESS);
            assertThat(r.getResponseCode("nodb")).isIn(PlcResponseCode.NOT_FOUND, PlcResponseCode.INVALID_ADDRESS);
            assertThat(r.getPlcValue("beyond")).isNull();
        }
        assertThat(connection.isConnected()).isTrue();
    }

    @Test
    void theServerGoneFailsTheNextReadAndANewConnectionReadsOnceItIsBack() throws Exception {
        PlcReadRequest request = connection.readRequestBuilder().addTagAddress("a", "%DB2.DBW0:INT").build();
        request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        server.stop();

        assertThatThrownBy(() -> request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(java.io.IOException.class);
        assertThat(connection.isConnected()).isFalse();
        assertThatThrownBy(() -> driver.getConnection(server.connection()).connect()).isInstanceOf(PlcConnectionException.class)
                .hasMessageContaining("S7 connect to 127.0.0.1:" + server.port());

        server.set(2, 0, HexFormat.of().parseHex("0102"));
        server.start();
        try (PlcConnection again = driver.getConnection(server.connection())) {
            again.connect();
            PlcReadResponse r = again.readRequestBuilder().addTagAddress("a", "%DB2.DBW0:INT").build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertThat(value(r, "a")).isEqualTo((short) 0x0102);
        }
    }

    @Test
    void unsupportedCallsAndValuesSayWhy() {
        assertThat(connection.getMetadata().isSubscribeSupported()).isFalse();
        assertThat(connection.parseTagAddress("%DB1.DBD0:TIME")).isEmpty();
        assertThat(connection.parseTagAddress("%DB1.DBD0:DINT")).isPresent();
        assertThatThrownBy(connection::subscriptionRequestBuilder).isInstanceOf(PlcUnsupportedOperationException.class)
                .hasMessageContaining("polls");
        assertThatThrownBy(connection::ping).isInstanceOf(PlcUnsupportedOperationException.class);
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT", 40000))
                .hasMessageContaining("outside the range of INT");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("a", "%DB1.DBX0.0:BOOL[2]", true, false))
                .hasMessageContaining("one BOOL at a time");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("a", "%DB1:0:INT[2]", 1))
                .hasMessageContaining("takes 2 value(s), not 1");
        assertThat(driver.getProtocolCode()).isEqualTo("s7");
        assertThat(driver.getMetadata().getDefaultTransportCode()).isEmpty();
        assertThatThrownBy(() -> driver.getConnection("s7://x?remote-slot=20")).isInstanceOf(PlcConnectionException.class)
                .hasMessageContaining("remote-slot");
    }

    private void write(String address, Object value) throws Exception {
        PlcWriteResponse w = connection.writeRequestBuilder().addTagAddress("w", address, value).build()
                .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(w.getResponseCode("w")).isEqualTo(PlcResponseCode.OK);
    }

    private PlcReadResponse read(String... nameAddress) throws Exception {
        return DriverReads.read(connection, TIMEOUT_MS, nameAddress);
    }

    private static Object value(PlcReadResponse response, String tag) {
        return DriverReads.value(response, tag);
    }
}
