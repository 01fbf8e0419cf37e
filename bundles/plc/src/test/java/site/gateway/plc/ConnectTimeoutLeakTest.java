package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.modbus.tcp.ModbusTcpDriver;
import org.junit.jupiter.api.Test;

import site.gateway.plc.modbus.ModbusDriver;

/**
 * A connect that times out while PLC4X is still creating its Netty channel must not strand that channel:
 * PLC4X assigns the channel to the connection only after the TCP connect, so an interrupt in between
 * left a connected channel (and its event loop thread) that the connection's close() could not reach.
 * With a 1 ms timeout against a real Modbus server, the watchdog fires during channel creation on
 * almost every attempt; afterwards every event loop thread must end.
 */
class ConnectTimeoutLeakTest {
    private static final int ATTEMPTS = 20; // each close waits for Netty's 2 s quiet period

    @Test
    void connectsThatTimeOutLeaveNoEventLoopBehind() throws Exception {
        long before = eventLoopThreads();
        PlcDriver driver = new ModbusTcpDriver();
        DriverCatalog drivers = only(driver);
        try (ModbusTestServer server = new ModbusTestServer()) {
            server.start();
            for (int i = 0; i < ATTEMPTS; i++) {
                Connector.Attempt attempt = Connector.open(driver, drivers, server.connection(), 1);
                Connector.closeQuietly(attempt.connection());
            }
            // Closed event loops end after Netty's quiet period (about 2 s); stranded ones never do.
            await().atMost(Duration.ofSeconds(60)).until(() -> eventLoopThreads() <= before);
        }
    }

    /** The gateway's driver: a connect the watchdog interrupts closes its socket (a socket channel ends on interrupt). */
    @Test
    void theGatewaysDriverLeavesNoSocketBehind() throws Exception {
        PlcDriver driver = new ModbusDriver();
        DriverCatalog drivers = only(driver);
        try (ModbusTestServer server = new ModbusTestServer()) {
            server.start();
            for (int i = 0; i < ATTEMPTS * 5; i++) {
                Connector.Attempt attempt = Connector.open(driver, drivers, server.connection(), 1);
                Connector.closeQuietly(attempt.connection());
            }
            assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt is not left behind").isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> ClientSockets.to(server.port) == 0);
        }
    }

    private static DriverCatalog only(PlcDriver driver) {
        return new DriverCatalog() {
            @Override
            public PlcDriver driver(String code) {
                return driver;
            }

            @Override
            public ClassLoader transportLoader(String connection, PlcDriver d) {
                return null;
            }
        };
    }

    private static long eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("nioEventLoopGroup")).count();
    }
}
