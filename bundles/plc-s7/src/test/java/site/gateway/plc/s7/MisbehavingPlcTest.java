package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.junit.jupiter.api.Test;

import site.gateway.support.plcdriver.BigEndian;

/** The driver against scripted PLCs that answer in one precise wrong (or unusual) way. */
class MisbehavingPlcTest {
    private static final long TIMEOUT_MS = 2000;
    private static final byte[] NO_DATA = new byte[0];

    private final S7Driver driver = new S7Driver();

    @Test
    void anItemThePlcRefusesIsThatTagsCodeWhileTheOthersReadAndTheConnectionStays() throws Exception {
        // Two items (DB1 and DB2): the first refused with 0x0A (object does not exist), the second 2 bytes.
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> (job[10] & 0xFF) == 0x04
                ? ScriptedS7Server.ackData(job, 0, 0, new byte[] {4, 2}, HexFormat.of().parseHex("0a000000" + "ff040010" + "0005"))
                : ScriptedS7Server.ackData(job, 0, 0, new byte[] {5, 2}, new byte[] {(byte) 0xFF, 0x05}));
                PlcConnection c = connect(plc)) {
            PlcReadResponse read = c.readRequestBuilder().addTagAddress("gone", "%DB1.DBW0:INT").addTagAddress("ok", "%DB2.DBW0:INT")
                    .build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            PlcWriteResponse write = c.writeRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT", 1).addTagAddress("b", "%DB2.DBW0:INT", 2)
                    .build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

            assertThat(read.getResponseCode("gone")).isEqualTo(PlcResponseCode.NOT_FOUND);
            assertThat(read.getResponseCode("ok")).isEqualTo(PlcResponseCode.OK);
            assertThat(read.getPlcValue("ok").getObject()).isEqualTo((short) 5);
            assertThat(write.getResponseCode("a")).isEqualTo(PlcResponseCode.OK);
            assertThat(write.getResponseCode("b")).isEqualTo(PlcResponseCode.INVALID_ADDRESS);
            assertThat(c.isConnected()).isTrue();
        }
        assertThat(ItemCode.describe(0x0A)).isEqualTo("return code 0x0a (object does not exist)");
    }

    @Test
    void aJobThePlcRefusesMakesItsTagsBadAndTheConnectionStays() throws Exception {
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> ScriptedS7Server.ackData(job, 0x85, 0x00, NO_DATA, NO_DATA));
                PlcConnection c = connect(plc)) {
            PlcReadResponse read = c.readRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT").build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            PlcWriteResponse write = c.writeRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT", 1).build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

            assertThat(read.getResponseCode("a")).isEqualTo(PlcResponseCode.INVALID_ADDRESS);
            assertThat(write.getResponseCode("a")).isEqualTo(PlcResponseCode.INVALID_ADDRESS);
            assertThat(c.isConnected()).isTrue();
        }
        assertThat(new S7ErrorAnswer(0x85, 0).getMessage()).contains("error class 0x85 code 0x00 (error on supplies)");
    }

    @Test
    void garbageFailsTheReadWithTheReasonAndClosesTheConnection() throws Exception {
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> "HTTP/1.1 418 I'm a teapot\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                PlcConnection c = connect(plc)) {
            var future = c.readRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT").build().execute();

            assertThatThrownBy(() -> future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(S7ProtocolException.class).hasMessageContaining("not an ISO-on-TCP frame (TPKT version 0x48)");
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void wellFramedAnswersToTheWrongQuestionAreRefused() throws Exception {
        AtomicInteger mode = new AtomicInteger();
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> {
            byte[] other = job.clone();
            other[5]++;
            return switch (mode.get()) {
                case 0 -> ScriptedS7Server.ackData(other, 0, 0, new byte[] {4, 1}, HexFormat.of().parseHex("ff0400100005"));
                case 1 -> ScriptedS7Server.ackData(job, 0, 0, new byte[] {5, 1}, HexFormat.of().parseHex("ff0400100005"));
                case 2 -> ScriptedS7Server.ackData(job, 0, 0, new byte[] {4, 1}, HexFormat.of().parseHex("ff04"));
                default -> ScriptedS7Server.ackData(job, 0, 0, new byte[] {4, 1}, HexFormat.of().parseHex("ff04002000000000"));
            };
        })) {
            for (String expected : List.of("answer to PDU", "function 0x05", "ends after 0 of 1 items", "carries 4 bytes, 2 asked for")) {
                PlcConnection c = connect(plc);
                var future = c.readRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT").build().execute();
                assertThatThrownBy(() -> future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).cause()
                        .isInstanceOf(S7ProtocolException.class).hasMessageContaining(expected);
                assertThat(c.isConnected()).isFalse();
                mode.incrementAndGet();
            }
        }
    }

    @Test
    void silenceIsATimeoutOfTheWaitAndClosesTheConnection() throws Exception {
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> null); PlcConnection c = connect(plc)) {
            var future = c.readRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT").build().execute();

            long start = System.nanoTime();
            assertThatThrownBy(() -> future.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("bounded by the wait").isLessThan(TIMEOUT_MS);
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void aPlcThatRefusesTheIsoConnectionSaysToCheckRackAndSlot() throws Exception {
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> null)) {
            plc.connectAnswer(HexFormat.of().parseHex("0300000b06800000000100"));
            PlcConnection c = driver.getConnection(plc.connection() + "&remote-rack=0&remote-slot=1");

            assertThatThrownBy(c::connect).isInstanceOf(PlcConnectionException.class)
                    .hasMessageContaining("did not confirm the ISO connection (TPDU code 0x80)").hasMessageContaining("TSAP 0x0101");
            assertThat(c.isConnected()).isFalse();
        }
    }

    @Test
    void anAnswerSplitOverDataUnitsIsGathered() throws Exception {
        try (ScriptedS7Server plc = new ScriptedS7Server(job -> {
            byte[] whole = ScriptedS7Server.ackData(job, 0, 0, new byte[] {4, 1}, HexFormat.of().parseHex("ff0400100102"));
            int cut = 7 + 12; // first unit: the S7comm header; second: the rest
            byte[] first = java.util.Arrays.copyOf(whole, cut);
            BigEndian.put(first, 2, 2, cut);
            first[6] = 0; // not the last unit
            byte[] second = new byte[7 + whole.length - cut];
            System.arraycopy(whole, 0, second, 0, 7);
            BigEndian.put(second, 2, 2, second.length);
            System.arraycopy(whole, cut, second, 7, whole.length - cut);
            byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            return both;
        }); PlcConnection c = connect(plc)) {
            PlcReadResponse read = c.readRequestBuilder().addTagAddress("a", "%DB1.DBW0:INT").build()
                    .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

            assertThat(read.getPlcValue("a").getObject()).isEqualTo((short) 0x0102);
        }
    }

    private PlcConnection connect(ScriptedS7Server plc) throws Exception {
        PlcConnection c = driver.getConnection(plc.connection());
        c.connect();
        return c;
    }
}
