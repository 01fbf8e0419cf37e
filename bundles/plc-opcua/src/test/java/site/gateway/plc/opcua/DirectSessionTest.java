package site.gateway.plc.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.messages.PlcWriteResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.testsupport.OpcUaTestServer;
import site.gateway.testsupport.OpcUaTestServer.Limits;

/**
 * The gateway's own channel and session ({@link UaTcpChannel}, {@link DirectSession}) against Milo's server: answers
 * and requests longer than one chunk, and what a keep-alive thread would do (renew the channel's token, keep the
 * session), done before a call; each idle pause lasts until the server has acted on it (closed the session, or the
 * channel whose token ran out).
 */
class DirectSessionTest {
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;
    private final OpcuaDriver driver = new OpcuaDriver();

    @AfterEach
    void stopDriver() {
        driver.deactivate();
    }

    @Test
    void anAnswerAndARequestLongerThanAChunkGoWholeAndTheNextCallFollows() throws Exception {
        // about 190 KB each: three chunks of Milo's 64 KiB or more either way
        String text = IntStream.range(0, 20_000).mapToObj(i -> "pallet-" + i).collect(Collectors.joining(";"));
        String other = IntStream.range(0, 20_000).mapToObj(i -> "bay-" + i).collect(Collectors.joining(","));
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("long", text, "load", (short) 7))) {
            PlcConnection connection = driver.getConnection(server.connection());
            connection.connect();
            try {
                assertThat(read(connection, "ns=2;s=long;STRING")).isEqualTo(text);
                assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo((short) 7);

                PlcWriteResponse written = connection.writeRequestBuilder().addTagAddress("long", "ns=2;s=long;STRING", other)
                        .build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertThat(written.getResponseCode("long")).isEqualTo(PlcResponseCode.OK);
                assertThat(server.get("long")).isEqualTo(other);
                assertThat(read(connection, "ns=2;s=long;STRING")).isEqualTo(other);
                assertThat(connection.isConnected()).isTrue();
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void aSessionIdleLongerThanTheServersTimeoutIsMadeAnewBeforeTheNextCall() throws Exception {
        // Milo revises any session timeout to at least 5 s; the session is made anew after 75 % of it idle
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("load", (short) 7), new Limits(5_000, 86_400_000L))) {
            PlcConnection connection = driver.getConnection(server.connection());
            connection.connect();
            try {
                assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo((short) 7);
                assertThat(server.sessionsCreated()).isEqualTo(1);
                // idle until the server has closed the session for it (at 5 s; the driver's own limit is 3.75 s)
                await().atMost(Duration.ofSeconds(30)).until(() -> server.sessionsTimedOut() == 1);
                server.set("load", (short) 8);
                assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo((short) 8);
                assertThat(connection.isConnected()).isTrue();
                assertThat(server.sessionsCreated()).isEqualTo(2);
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void theChannelTokenIsRenewedBeforeItsLifetimeRunsOut() throws Exception {
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("load", (short) 0), new Limits(120_000, 2_000))) {
            PlcConnection connection = driver.getConnection(server.connection());
            connection.connect();
            try {
                // polls back to back for three token lifetimes: renewed at 1.5 s, 3 s, 4.5 s, on the same connection
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                short n = 0;
                while (System.nanoTime() < end) {
                    server.set("load", ++n);
                    assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo(n);
                    assertThat(connection.isConnected()).isTrue();
                }
                assertThat(n).isGreaterThan((short) 12);
                // one session on one channel throughout: renewed, never opened anew after the token ran out
                assertThat(server.sessionsCreated()).isEqualTo(1);
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void aSubscribingConnectionOutlivesItsIdleChannelAndTheNextWriteOpensItAnew() throws Exception {
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("load", (short) 1), new Limits(120_000, 2_000))) {
            PlcConnection connection = driver.getConnection(server.connection());
            connection.connect();
            try {
                assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo((short) 1);
                List<PlcSubscriptionEvent> events = new CopyOnWriteArrayList<>();
                PlcSubscriptionResponse response = connection.subscriptionRequestBuilder()
                        .addChangeOfStateTagAddress("load", "ns=2;s=load;INT").build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                response.getSubscriptionHandles().forEach(h -> h.register(events::add));
                await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());

                // no call on the own channel for longer than its 2 s token: the server closes it (what is tested);
                // Milo's client renews its own channel and keeps the subscription
                DirectSession own = ((OpcuaConnection) connection).open("test").direct;
                await().atMost(Duration.ofSeconds(30)).until(() -> !own.isOpen());
                assertThat(connection.isConnected()).isTrue();

                PlcWriteResponse written = connection.writeRequestBuilder().addTagAddress("load", "ns=2;s=load;INT", (short) 42)
                        .build().execute().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                assertThat(written.getResponseCode("load")).isEqualTo(PlcResponseCode.OK);
                assertThat(server.get("load")).isEqualTo((short) 42);
                await().atMost(Duration.ofSeconds(30)).until(() -> events.stream()
                        .anyMatch(e -> Short.valueOf((short) 42).equals(e.getPlcValue("load").getObject())));
                assertThat(connection.isConnected()).isTrue();
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void aUserNameAndPasswordOpenTheSessionAndAWrongPasswordIsRefused() throws Exception {
        try (OpcUaTestServer server = new OpcUaTestServer(dir, Map.of("load", (short) 7))) {
            PlcConnection connection = driver.getConnection(server.connection() + "&username=" + OpcUaTestServer.USER
                    + "&password=" + OpcUaTestServer.PASSWORD);
            connection.connect();
            try {
                assertThat(read(connection, "ns=2;s=load;INT")).isEqualTo((short) 7);
            } finally {
                connection.close();
            }
            PlcConnection wrong = driver.getConnection(server.connection() + "&username=" + OpcUaTestServer.USER + "&password=wrong");
            assertThatThrownBy(wrong::connect).hasMessageContaining("Bad_UserAccessDenied");
            assertThat(wrong.isConnected()).isFalse();
        }
    }

    private static Object read(PlcConnection connection, String address) throws Exception {
        PlcReadResponse response = connection.readRequestBuilder().addTagAddress("tag", address).build().execute()
                .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertThat(response.getResponseCode("tag")).isEqualTo(PlcResponseCode.OK);
        return response.getPlcValue("tag").getObject();
    }
}
