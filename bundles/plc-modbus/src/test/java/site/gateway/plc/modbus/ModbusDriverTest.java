package site.gateway.plc.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.DriverReads;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;

import site.gateway.testsupport.ScriptedModbusServer;

/** The driver through PLC4X's API against a real Modbus TCP server (j2mod) on loopback. */
class ModbusDriverTest {
    private static final long TIMEOUT_MS = 2000;

    private final ModbusDriver driver = new ModbusDriver();
    private J2modServer server;
    private PlcConnection connection;

    @BeforeEach
    void start() throws Exception {
        server = new J2modServer();
        connection = driver.getConnection(server.connection());
        connection.connect();
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        server.close();
    }

    @Test
    void readsEveryAreaAndTypeWithPlc4xsJavaTypes() throws Exception {
        server.holding(1, 1234);
        server.holding(2, -7 & 0xFFFF);
        server.holding(3, 0x4148); // 12.5f
        server.holding(4, 0);
        server.holding(5, 0xFFFF);
        server.holding(6, 0xFFFE); // DINT -2 in 5..6
        server.holding(10, 3);
        server.holding(11, 4);
        ((SimpleInputRegister) server.image.getInputRegister(0)).setValue(40000);
        server.image.getDigitalOut(2).set(true);
        ((SimpleDigitalIn) server.image.getDigitalIn(1)).set(true);

        PlcReadResponse response = read(
                "speed", "holding-register:1:INT", "load", "holding-register:2:INT", "temp", "holding-register:3:REAL",
                "count", "holding-register:5:DINT", "pair", "holding-register:10:UINT[2]", "level", "input-register:1:UINT",
                "running", "coil:3", "coils", "coil:1:BOOL[4]", "door", "discrete-input:2");

        assertThat(value(response, "speed")).isEqualTo((short) 1234);
        assertThat(value(response, "load")).isEqualTo((short) -7);
        assertThat(value(response, "temp")).isEqualTo(12.5f);
        assertThat(value(response, "count")).isEqualTo(-2);
        assertThat(response.getPlcValue("pair").getPlcValueType()).isEqualTo(PlcValueType.List);
        assertThat(response.getPlcValue("pair").getList()).extracting(PlcValue::getObject).containsExactly(3, 4);
        assertThat(value(response, "level")).isEqualTo(40000);
        assertThat(value(response, "running")).isEqualTo(true);
        assertThat(response.getPlcValue("running").getPlcValueType()).isEqualTo(PlcValueType.BOOL);
        assertThat(response.getPlcValue("coils").getList()).extracting(PlcValue::getObject).containsExactly(false, false, true, false);
        assertThat(value(response, "door")).isEqualTo(true);
    }

    @Test
    void twentyNeighbouringRegistersAreOneRequest() throws Exception {
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        for (int i = 1; i <= 20; i++) {
            server.holding(i, i * 10);
            builder.addTagAddress("t" + i, "holding-register:" + i + ":INT");
        }
        builder.addTagAddress("far", "holding-register:125:INT");
        builder.addTagAddress("bit", "coil:1");
        PlcReadRequest request = builder.build();

        assertThat(((ModbusReader) ((TagReadRequest<?>) request).reader()).requestCount()).as("1..20 and 125 fit one request of 125 registers; the coil is another area").isEqualTo(2);
        PlcReadResponse response = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (int i = 1; i <= 20; i++) {
            assertThat(value(response, "t" + i)).isEqualTo((short) (i * 10));
        }
        assertThat(value(response, "far")).isEqualTo((short) 0);
        assertThat(value(response, "bit")).isEqualTo(false);
    }

    @Test
    void theSameRequestReadsFreshValuesEachTime() throws Exception {
        PlcReadRequest request = connection.readRequestBuilder().addTagAddress("a", "holding-register:7:INT").build();
        server.holding(7, 1);
        assertThat(value(request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "a")).isEqualTo((short) 1);
        server.holding(7, 2);
        assertThat(value(request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS), "a")).isEqualTo((short) 2);
    }

    @Test
    void anAddressTheServerDoesNotHaveIsBadWhileItsNeighboursStayGood() throws Exception {
        server.holding(J2modServer.SIZE, 42);
        PlcReadRequest request = connection.readRequestBuilder()
                .addTagAddress("last", "holding-register:" + J2modServer.SIZE + ":INT")
                .addTagAddress("beyond", "holding-register:" + (J2modServer.SIZE + 5) + ":INT").build();

        for (int poll = 0; poll < 2; poll++) { // the second poll reads the split plan directly
            PlcReadResponse response = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertThat(response.getResponseCode("beyond")).isEqualTo(PlcResponseCode.INVALID_ADDRESS);
            assertThat(response.getPlcValue("beyond")).isNull();
            assertThat(response.getResponseCode("last")).isEqualTo(PlcResponseCode.OK);
            assertThat(value(response, "last")).isEqualTo((short) 42);
        }
        assertThat(connection.isConnected()).as("an exception answer is a good answer").isTrue();
    }

    @Test
    void writesRegistersCoilsAndArraysThatReadBack() throws Exception {
        PlcWriteResponse written = connection.writeRequestBuilder()
                .addTagAddress("target", "holding-register:5:INT", 12L)
                .addTagAddress("speed", "holding-register:20:REAL", -0.75)
                .addTagAddress("counts", "holding-register:30:DINT[2]", 70000L, -3L)
                .addTagAddress("run", "coil:4", true)
                .addTagAddress("flags", "coil:10:BOOL[3]", true, false, true).build()
                .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        assertThat(written.getTagNames()).allSatisfy(tag -> assertThat(written.getResponseCode(tag)).isEqualTo(PlcResponseCode.OK));
        assertThat(server.holding(5)).isEqualTo(12);
        assertThat(server.image.getDigitalOut(3).isSet()).isTrue();
        PlcReadResponse back = read("speed", "holding-register:20:REAL", "counts", "holding-register:30:DINT[2]",
                "flags", "coil:10:BOOL[3]");
        assertThat(value(back, "speed")).isEqualTo(-0.75f);
        assertThat(back.getPlcValue("counts").getList()).extracting(PlcValue::getObject).containsExactly(70000, -3);
        assertThat(back.getPlcValue("flags").getList()).extracting(PlcValue::getObject).containsExactly(true, false, true);
    }

    @Test
    void aWordSwappingDeviceReadsAndWritesTheSameNumbers() throws Exception {
        try (PlcConnection swapped = driver.getConnection(server.connection() + "?default-payload-byte-order=LITTLE_ENDIAN_BYTE_SWAP")) {
            swapped.connect();
            swapped.writeRequestBuilder().addTagAddress("v", "holding-register:40:DINT", 0x12345678L).build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

            assertThat(server.holding(40)).isEqualTo(0x5678);
            assertThat(server.holding(41)).isEqualTo(0x1234);
            assertThat(swapped.readRequestBuilder().addTagAddress("v", "holding-register:40:DINT").build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).getPlcValue("v").getObject()).isEqualTo(0x12345678);
        }
    }

    @Test
    void aValueTheTagCannotTakeFailsWhenAddedNotOnTheWire() {
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("x", "holding-register:1:INT", 40000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the range of INT");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("x", "input-register:1:INT", 1L))
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("x", "holding-register:1:INT[2]", 1L))
                .hasMessageContaining("takes 2 value(s), not 1");
    }

    @Test
    void anExceptionAnswerIsTheTagsCodeAndTheConnectionStays() throws Exception {
        try (ScriptedModbusServer busy = new ScriptedModbusServer(request -> ScriptedModbusServer.exception(request, 6));
                PlcConnection c = driver.getConnection(busy.connection())) {
            c.connect();
            PlcReadResponse read = c.readRequestBuilder().addTagAddress("a", "holding-register:1").build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            PlcWriteResponse write = c.writeRequestBuilder().addTagAddress("a", "holding-register:1", 1L).build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

            assertThat(read.getResponseCode("a")).isEqualTo(PlcResponseCode.REMOTE_BUSY);
            assertThat(write.getResponseCode("a")).isEqualTo(PlcResponseCode.REMOTE_BUSY);
            assertThat(c.isConnected()).isTrue();
        }
        assertThat(new ModbusExceptionResponse(2).getMessage()).isEqualTo("Modbus exception 2 (ILLEGAL DATA ADDRESS)");
        assertThat(new ModbusExceptionResponse(1).responseCode()).isEqualTo(PlcResponseCode.UNSUPPORTED);
        assertThat(new ModbusExceptionResponse(4).responseCode()).isEqualTo(PlcResponseCode.REMOTE_ERROR);
    }

    @Test
    void garbageFailsTheReadWithTheReasonAndClosesTheConnection() throws Exception {
        try (ScriptedModbusServer junk = new ScriptedModbusServer(ScriptedModbusServer::junk); PlcConnection c = driver.getConnection(junk.connection())) {
            c.connect();
            var future = c.readRequestBuilder().addTagAddress("a", "holding-register:1").build().execute();

            assertThatThrownBy(() -> future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ModbusProtocolException.class).hasMessageContaining("protocol id 0x5450");
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void wellFramedAnswersToTheWrongQuestionAreRefused() throws Exception {
        AtomicInteger mode = new AtomicInteger();
        try (ScriptedModbusServer odd = new ScriptedModbusServer(request -> switch (mode.get()) {
            case 0 -> new byte[] {(byte) (request[0] + 1), request[1], 0, 0, 0, 5, 1, 3, 2, 0, 7}; // another transaction
            case 1 -> new byte[] {request[0], request[1], 0, 0, 0, 5, 9, 3, 2, 0, 7};              // another unit
            default -> new byte[] {request[0], request[1], 0, 0, 0, 4, 1, 3, 1, 0};                // one byte for a register
        })) {
            for (String expected : List.of("transaction", "unit 9", "data bytes")) {
                PlcConnection c = driver.getConnection(odd.connection());
                c.connect();
                var future = c.readRequestBuilder().addTagAddress("a", "holding-register:1").build().execute();
                assertThatThrownBy(() -> future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).cause()
                        .isInstanceOf(ModbusProtocolException.class).hasMessageContaining(expected);
                assertThat(c.isConnected()).isFalse();
                mode.incrementAndGet();
            }
        }
    }

    @Test
    void silenceIsATimeoutOfTheWaitAndClosesTheConnection() throws Exception {
        try (ScriptedModbusServer silent = new ScriptedModbusServer(request -> null); PlcConnection c = driver.getConnection(silent.connection())) {
            c.connect();
            var future = c.readRequestBuilder().addTagAddress("a", "holding-register:1").build().execute();

            long start = System.nanoTime();
            assertThatThrownBy(() -> future.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("bounded by the wait").isLessThan(TIMEOUT_MS);
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void aServerThatGoesAwayFailsTheNextRead() throws Exception {
        PlcReadRequest request = connection.readRequestBuilder().addTagAddress("a", "holding-register:1").build();
        request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        server.close();

        // j2mod's server serves the request in flight on a connection before it closes it: at most one more answer.
        ExecutionException failed = null;
        for (int i = 0; i < 3 && failed == null; i++) {
            try {
                request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                failed = e;
            }
        }
        assertThat(failed).as("a read fails once the server is gone").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(java.io.IOException.class);
        assertThat(connection.isConnected()).isFalse();
    }

    @Test
    void refusedConnectsAndUnsupportedCallsSayWhy() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        PlcConnection c = driver.getConnection("modbus-tcp://127.0.0.1:" + closed);
        assertThatThrownBy(c::connect).isInstanceOf(PlcConnectionException.class).hasMessageContaining("Connection refused");
        assertThatThrownBy(() -> driver.getConnection("modbus-tcp://x?unit-identifier=300"))
                .isInstanceOf(PlcConnectionException.class).hasMessageContaining("unit-identifier");
        assertThat(connection.getMetadata().isSubscribeSupported()).isFalse();
        assertThat(connection.parseTagAddress("nonsense")).isEmpty();
        assertThatThrownBy(connection::subscriptionRequestBuilder).isInstanceOf(PlcUnsupportedOperationException.class);
        assertThatThrownBy(connection::ping).isInstanceOf(PlcUnsupportedOperationException.class);
        assertThat(driver.getMetadata().getDefaultTransportCode()).isEmpty();
    }

    private PlcReadResponse read(String... nameAddress) throws Exception {
        return DriverReads.read(connection, TIMEOUT_MS, nameAddress);
    }

    private static Object value(PlcReadResponse response, String tag) {
        return DriverReads.value(response, tag);
    }
}
