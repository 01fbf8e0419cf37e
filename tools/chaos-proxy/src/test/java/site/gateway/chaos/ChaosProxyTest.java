package site.gateway.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChaosProxyTest {
    private ServerSocket echo;
    private ChaosProxy proxy;

    @BeforeEach
    void startEchoServerBehindTheProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // the peer reset
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = ChaosProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    static Stream<Fault> forwardingFaults() {
        return Stream.of(Fault.none(), Fault.latency(Duration.ofMillis(20)), Fault.bandwidth(256 * 1024),
                Fault.slowLoris(Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource("forwardingFaults")
    void forwardsEveryByteInOrderBothWays(Fault fault) throws Exception {
        proxy.setFault(fault);
        byte[] sent = new byte[fault instanceof Fault.SlowLoris ? 3_000 : 100_000];
        new Random(7).nextBytes(sent);
        try (Socket socket = connect()) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    socket.getOutputStream().write(sent);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = new DataInputStream(socket.getInputStream()).readNBytes(sent.length + 1);
            writing.join();
            assertThat(received).as("echoed through the proxy, then end of stream").isEqualTo(sent);
        }
        if (fault instanceof Fault.SlowLoris) {
            assertThat(proxy.readCount()).as("one read per byte, each way").isGreaterThanOrEqualTo(2L * sent.length);
        }
    }

    @Test
    void resetResetsOpenConnectionsAndEveryNewOne() throws Exception {
        try (Socket open = connect()) {
            roundTrip(open);
            proxy.setFault(Fault.reset());
            assertThatThrownBy(() -> readOrFail(open.getInputStream())).isInstanceOf(SocketException.class);
        }
        try (Socket fresh = connect()) {
            assertThatThrownBy(() -> readOrFail(fresh.getInputStream())).isInstanceOf(SocketException.class);
        }
        assertThat(proxy.resetCount()).isEqualTo(2);
        proxy.setFault(Fault.none());
        try (Socket healed = connect()) {
            roundTrip(healed);
        }
    }

    @Test
    void blackHoleAcceptsButNeverForwardsNorCloses() throws Exception {
        try (Socket open = connect(); Socket fresh = connectOnly()) {
            roundTrip(open);
            proxy.setFault(Fault.blackHole());
            for (Socket socket : new Socket[] {open, fresh}) {
                socket.getOutputStream().write(new byte[] {1, 2, 3});
                socket.setSoTimeout(300);
                assertThatThrownBy(() -> socket.getInputStream().read())
                        .as("no answer, no close: the read runs into the client's own timeout")
                        .isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(proxy.swallowedCount()).isEqualTo(2);
            proxy.setFault(Fault.none());
            open.setSoTimeout(300);
            assertThatThrownBy(() -> open.getInputStream().read()).as("a swallowed connection stays swallowed")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        try (Socket healed = connect()) {
            roundTrip(healed);
        }
    }

    @Test
    void closesForwardedConnectionsWhenClosed() throws Exception {
        Socket socket = connect();
        roundTrip(socket);
        proxy.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.openCount() == 0);
        assertThat(socket.getInputStream().read()).as("an orderly close").isEqualTo(-1);
        socket.close();
    }

    @Test
    void parsesTheTextForm() {
        assertThat(Fault.parse("latency 250ms")).isEqualTo(Fault.latency(Duration.ofMillis(250)));
        assertThat(Fault.parse("bandwidth 4096")).isEqualTo(Fault.bandwidth(4096));
        assertThat(Fault.parse("SlowLoris 5ms")).isEqualTo(Fault.slowLoris(Duration.ofMillis(5)));
        assertThat(Fault.parse(" blackhole ")).isEqualTo(Fault.blackHole());
        assertThat(Fault.parse("reset")).isEqualTo(Fault.reset());
        assertThat(Fault.parse("none")).isEqualTo(Fault.none());
        assertThatThrownBy(() -> Fault.parse("jitter")).hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> Fault.parse("latency soon")).hasMessageContaining("needs a number");
    }

    private Socket connect() throws IOException {
        Socket socket = connectOnly();
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.openCount() > 0 || proxy.fault() instanceof Fault.Reset);
        return socket;
    }

    private Socket connectOnly() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static void roundTrip(Socket socket) throws IOException {
        socket.getOutputStream().write("ping".getBytes());
        assertThat(new DataInputStream(socket.getInputStream()).readNBytes(4)).isEqualTo("ping".getBytes());
    }

    /** A reset shows as an exception; an orderly end of stream would be a different fault. */
    private static void readOrFail(InputStream in) throws IOException {
        int b = in.read();
        throw new AssertionError("expected a reset, read " + b);
    }
}
