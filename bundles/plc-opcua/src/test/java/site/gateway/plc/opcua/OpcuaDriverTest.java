package site.gateway.plc.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.messages.PlcWriteRequest;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.testsupport.OpcUaTestServer;

/** The driver through PLC4X's API against a real OPC UA server: Eclipse Milo's server SDK (test-support), on loopback. */
class OpcuaDriverTest {
    private static final long TIMEOUT_MS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final OpcuaDriver driver = new OpcuaDriver();
    private OpcUaTestServer server;
    private PlcConnection connection;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("running", true);
        variables.put("sint", (byte) -5);
        variables.put("usint", UByte.valueOf(250));
        variables.put("load", (short) -1234);
        variables.put("uint", UShort.valueOf(65000));
        variables.put("count", 123_456_789);
        variables.put("udint", UInteger.valueOf(4_000_000_000L));
        variables.put("lint", -9_000_000_000L);
        variables.put("ulint", ULong.valueOf(new BigInteger("18000000000000000000")));
        variables.put("speed", 21.5f);
        variables.put("lreal", 1.0e300);
        variables.put("pallet", "pallet-42");
        server = new OpcUaTestServer(dir, variables);
    }

    @AfterEach
    void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        server.close();
    }

    private PlcConnection connect(String connectionString) throws PlcConnectionException {
        connection = driver.getConnection(connectionString);
        connection.connect();
        return connection;
    }

    private static PlcReadResponse read(PlcConnection c, String... nameAddress) throws Exception {
        PlcReadRequest.Builder builder = c.readRequestBuilder();
        for (int i = 0; i < nameAddress.length; i += 2) {
            builder.addTagAddress(nameAddress[i], nameAddress[i + 1]);
        }
        return builder.build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static Object value(PlcReadResponse r, String name) {
        assertThat(r.getResponseCode(name)).as(name).isEqualTo(PlcResponseCode.OK);
        return r.getPlcValue(name).getObject();
    }

    private static final String[] EVERY_TYPE = {"running", "ns=2;s=running;BOOL", "sint", "ns=2;s=sint;SINT",
        "usint", "ns=2;s=usint;USINT", "load", "ns=2;s=load;INT", "uint", "ns=2;s=uint;UINT", "count", "ns=2;s=count;DINT",
        "udint", "ns=2;s=udint;UDINT", "lint", "ns=2;s=lint;LINT", "ulint", "ns=2;s=ulint;ULINT", "speed", "ns=2;s=speed;REAL",
        "lreal", "ns=2;s=lreal;LREAL", "pallet", "ns=2;s=pallet;STRING"};

    @Test
    void readsEveryTypeWithPlc4xsJavaTypesInOneReadCall() throws Exception {
        connect(server.connection());
        int before = server.readBatches().size();
        PlcReadResponse r = read(connection, EVERY_TYPE);

        assertThat(value(r, "running")).isEqualTo(true);
        assertThat(r.getPlcValue("running").getPlcValueType()).isEqualTo(PlcValueType.BOOL);
        assertThat(value(r, "sint")).isEqualTo((byte) -5);
        assertThat(value(r, "usint")).isEqualTo((short) 250);
        assertThat(value(r, "load")).isEqualTo((short) -1234);
        assertThat(value(r, "uint")).isEqualTo(65000);
        assertThat(value(r, "count")).isEqualTo(123_456_789);
        assertThat(value(r, "udint")).isEqualTo(4_000_000_000L);
        assertThat(value(r, "lint")).isEqualTo(-9_000_000_000L);
        assertThat(value(r, "ulint")).isEqualTo(new BigInteger("18000000000000000000"));
        assertThat(value(r, "speed")).isEqualTo(21.5f);
        assertThat(value(r, "lreal")).isEqualTo(1.0e300);
        assertThat(value(r, "pallet")).isEqualTo("pallet-42");
        // all twelve tags in one Read service call
        assertThat(server.readBatches().subList(before, server.readBatches().size())).containsExactly(12);
    }

    @Test
    void aPollRequestIsBuiltOnceAndEachExecutionIsOneReadCall() throws Exception {
        connect(server.connection());
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        for (int i = 0; i < EVERY_TYPE.length; i += 2) {
            builder.addTagAddress(EVERY_TYPE[i], EVERY_TYPE[i + 1]);
        }
        PlcReadRequest request = builder.build();
        assertThat(((OpcuaReader) ((TagReadRequest<?>) request).reader()).nodes()).hasSize(12);
        int before = server.readBatches().size();
        for (int i = 0; i < 5; i++) {
            server.set("load", (short) i);
            PlcReadResponse r = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertThat(value(r, "load")).isEqualTo((short) i);
        }
        assertThat(server.readBatches().subList(before, server.readBatches().size())).containsExactly(12, 12, 12, 12, 12);
    }

    @Test
    void writesEveryTypeAsTheTagsTypeSays() throws Exception {
        connect(server.connection());
        PlcWriteRequest request = connection.writeRequestBuilder()
                .addTagAddress("running", "ns=2;s=running;BOOL", false)
                .addTagAddress("sint", "ns=2;s=sint;SINT", -100L)
                .addTagAddress("usint", "ns=2;s=usint;USINT", 7L)
                .addTagAddress("load", "ns=2;s=load;INT", -300L)
                .addTagAddress("uint", "ns=2;s=uint;UINT", 60000L)
                .addTagAddress("count", "ns=2;s=count;DINT", 70_000L)
                .addTagAddress("udint", "ns=2;s=udint;UDINT", 3_000_000_000L)
                .addTagAddress("lint", "ns=2;s=lint;LINT", Long.MIN_VALUE)
                .addTagAddress("ulint", "ns=2;s=ulint;ULINT", new BigInteger("18446744073709551615"))
                .addTagAddress("speed", "ns=2;s=speed;REAL", 1.5)
                .addTagAddress("lreal", "ns=2;s=lreal;LREAL", -2.25)
                .addTagAddress("pallet", "ns=2;s=pallet;STRING", "bay-7")
                .build();
        PlcWriteResponse response = request.execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        for (String name : response.getTagNames()) {
            assertThat(response.getResponseCode(name)).as(name).isEqualTo(PlcResponseCode.OK);
        }
        assertThat(server.get("running")).isEqualTo(false);
        assertThat(server.get("sint")).isEqualTo((byte) -100);
        assertThat(server.get("usint")).isEqualTo(UByte.valueOf(7));
        assertThat(server.get("load")).isEqualTo((short) -300);
        assertThat(server.get("uint")).isEqualTo(UShort.valueOf(60000));
        assertThat(server.get("count")).isEqualTo(70_000);
        assertThat(server.get("udint")).isEqualTo(UInteger.valueOf(3_000_000_000L));
        assertThat(server.get("lint")).isEqualTo(Long.MIN_VALUE);
        assertThat(server.get("ulint")).isEqualTo(ULong.valueOf(new BigInteger("18446744073709551615")));
        assertThat(server.get("speed")).isEqualTo(1.5f);
        assertThat(server.get("lreal")).isEqualTo(-2.25);
        assertThat(server.get("pallet")).isEqualTo("bay-7");
    }

    @Test
    void aValueTheTypeCannotHoldIsRefusedBeforeAnythingIsSent() throws Exception {
        connect(server.connection());
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("load", "ns=2;s=load;INT", 40_000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("count", "ns=2;s=count;DINT", 1.5))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> connection.writeRequestBuilder().addTagAddress("pallet", "ns=2;s=pallet", "x"))
                .hasMessageContaining("needs it to write");
        assertThat(server.get("load")).isEqualTo((short) -1234);
    }

    @Test
    void theServersRefusalsAreThoseTagsCodesAndTheOthersStayGood() throws Exception {
        connect(server.connection());
        PlcReadResponse r = read(connection, "load", "ns=2;s=load;INT", "missing", "ns=2;s=nothing-here;INT",
                "other", "ns=7;i=4711;DINT");
        assertThat(value(r, "load")).isEqualTo((short) -1234);
        assertThat(r.getResponseCode("missing")).isEqualTo(PlcResponseCode.NOT_FOUND);
        assertThat(r.getPlcValue("missing")).isNull();
        assertThat(r.getResponseCode("other")).isIn(PlcResponseCode.NOT_FOUND, PlcResponseCode.INVALID_ADDRESS);
        assertThat(connection.isConnected()).isTrue();

        // INT written to an Int32 node: the server says Bad_TypeMismatch, the tag's code says so
        PlcWriteResponse w = connection.writeRequestBuilder().addTagAddress("count", "ns=2;s=count;INT", 5L)
                .addTagAddress("load", "ns=2;s=load;INT", 5L).build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(w.getResponseCode("count")).isEqualTo(PlcResponseCode.INVALID_DATATYPE);
        assertThat(w.getResponseCode("load")).isEqualTo(PlcResponseCode.OK);
        assertThat(server.get("count")).isEqualTo(123_456_789);
        assertThat(connection.isConnected()).isTrue();
    }

    @Test
    void basic256Sha256WithTheClientCertificateReadsAndWrites() throws Exception {
        connect(server.secureConnection());
        assertThat(value(read(connection, "pallet", "ns=2;s=pallet;STRING"), "pallet")).isEqualTo("pallet-42");
        PlcWriteResponse w = connection.writeRequestBuilder().addTagAddress("load", "ns=2;s=load;INT", 77L).build()
                .execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(w.getResponseCode("load")).isEqualTo(PlcResponseCode.OK);
        assertThat(server.get("load")).isEqualTo((short) 77);
    }

    @Test
    void aServerCertificateNotInTheTrustStoreIsRefused() throws Exception {
        // a trust store with some other certificate: the client's own
        Path otherTrust = dir.resolve("other-trust.p12");
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(server.clientKeyStore())) {
            keys.load(in, OpcUaTestServer.STORE_PASSWORD.toCharArray());
        }
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("not-the-server", keys.getCertificate(keys.aliases().nextElement()));
        try (var out = Files.newOutputStream(otherTrust)) {
            trust.store(out, OpcUaTestServer.STORE_PASSWORD.toCharArray());
        }
        String wrongTrust = server.secureConnection().replace(server.trustStore().toString(), otherTrust.toString());

        assertThatThrownBy(() -> connect(wrongTrust)).isInstanceOf(PlcConnectionException.class)
                .hasMessageContaining("neither in the trust store");
        assertThat(connection.isConnected()).isFalse();
    }

    @Test
    void aPolicyTheServerDoesNotOfferIsNamedInTheFailure() {
        String basic256 = server.secureConnection().replace("security-policy=Basic256Sha256", "security-policy=Aes256_Sha256_RsaPss");
        assertThatThrownBy(() -> connect(basic256)).isInstanceOf(PlcConnectionException.class)
                .hasMessageContaining("offers no endpoint with Aes256_Sha256_RsaPss");
    }

    @Test
    void changeOfStateSubscriptionDeliversChangedTagsOnly() throws Exception {
        connect(server.connection());
        List<PlcSubscriptionEvent> events = new CopyOnWriteArrayList<>();
        PlcSubscriptionResponse response = connection.subscriptionRequestBuilder()
                .addChangeOfStateTag("load", OpcuaTag.parse("ns=2;s=load;INT"))
                .addCyclicTagAddress("pallet", "ns=2;s=pallet;STRING", Duration.ofMillis(100))
                .addChangeOfStateTagAddress("missing", "ns=2;s=nothing-here;INT")
                .build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(response.getResponseCode("load")).isEqualTo(PlcResponseCode.OK);
        assertThat(response.getResponseCode("pallet")).isEqualTo(PlcResponseCode.OK);
        assertThat(response.getResponseCode("missing")).isEqualTo(PlcResponseCode.NOT_FOUND);
        assertThat(response.getSubscriptionHandles()).hasSize(1);
        java.util.function.Consumer<PlcSubscriptionEvent> consumer = events::add;
        response.getSubscriptionHandles().forEach(h -> h.register(consumer));
        response.getSubscriptionHandles().forEach(h -> h.register(consumer)); // registering twice delivers once

        // first the initial values of both monitored tags, then only what changes
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.getTagNames().contains("load"))
                && events.stream().anyMatch(e -> e.getTagNames().contains("pallet")));
        server.set("load", (short) 99);
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.getTagNames().contains("load")
                && Short.valueOf((short) 99).equals(e.getPlcValue("load").getObject())));
        PlcSubscriptionEvent change = events.stream().filter(e -> e.getTagNames().contains("load")
                && Short.valueOf((short) 99).equals(e.getPlcValue("load").getObject())).findFirst().orElseThrow();
        assertThat(change.getTagNames()).containsExactly("load");
        assertThat(change.getTimestamp()).isNotNull();
        assertThat(events.stream().filter(e -> e == change)).hasSize(1);

        connection.unsubscriptionRequestBuilder().addHandles(response.getSubscriptionHandles()).build().execute()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        int seen = events.size();
        server.set("load", (short) 100);
        // a read after the change proves the server has it; no event followed it
        assertThat(value(read(connection, "load", "ns=2;s=load;INT"), "load")).isEqualTo((short) 100);
        assertThat(events).hasSize(seen);
    }

    @Test
    void aStoppedServerMakesTheConnectionReportDisconnected() throws Exception {
        connect(server.connection());
        assertThat(value(read(connection, "load", "ns=2;s=load;INT"), "load")).isEqualTo((short) -1234);
        server.stop();
        await().atMost(WAIT).until(() -> !connection.isConnected());
        assertThatThrownBy(() -> read(connection, "load", "ns=2;s=load;INT")).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        connection.close();

        server.start();
        PlcConnection again = driver.getConnection(server.connection());
        again.connect();
        try {
            assertThat(value(read(again, "load", "ns=2;s=load;INT"), "load")).isEqualTo((short) -1234);
        } finally {
            again.close();
        }
    }

    @Test
    void connectingToNothingFailsWithTheReason() throws Exception {
        int port = server.port();
        server.stop();
        // Milo's stop returns before its listening socket is closed: a connect in between is accepted, then reset
        // (a CI run saw "Connection reset"). Nothing listens once a plain connect is refused.
        await().atMost(Duration.ofSeconds(10)).until(() -> refuses(port));
        assertThatThrownBy(() -> connect("opcua:tcp://127.0.0.1:" + port + "/test?request-timeout=3000"))
                .isInstanceOf(PlcConnectionException.class).hasMessageContaining("Connection refused");
    }

    private static boolean refuses(int port) {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.net.ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    /** Thread families of Milo's shared resources (Stack): the only threads the driver's connections use. */
    static List<String> miloSharedThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().matches("milo-(netty-event-loop|shared-thread-pool|shared-scheduled-executor|netty-wheel-timer).*")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void stoppingTheDriverClosesItsConnectionsAndReleasesMilosSharedThreads() throws Exception {
        connect(server.connection());
        assertThat(value(read(connection, "load", "ns=2;s=load;INT"), "load")).isEqualTo((short) -1234);
        assertThat(miloSharedThreads()).isNotEmpty();
        server.stop(); // the test server shares Milo's Stack in this JVM; in the gateway the driver's copy is its own

        driver.deactivate();
        assertThat(connection.isConnected()).isFalse();
        await().atMost(WAIT).until(() -> miloSharedThreads().isEmpty());
        assertThatThrownBy(() -> driver.getConnection(server.connection()).connect()).isInstanceOf(PlcConnectionException.class)
                .hasMessageContaining("stopping");
        // Milo makes its shared threads again when used next (a new driver instance after a bundle update)
        server.start();
        PlcConnection fresh = new OpcuaDriver().getConnection(server.connection());
        fresh.connect();
        fresh.close();
    }
}
