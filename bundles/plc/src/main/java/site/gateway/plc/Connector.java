package site.gateway.plc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.error.RootCause;

/**
 * Opens PLC4X connections: a NEW connection object for every attempt (a failed one is closed and
 * dropped), bounded in time, with the context class loader PLC4X needs to find its transport.
 */
final class Connector {
    /** One attempt: a connected connection, or null and why not. */
    record Attempt(PlcConnection connection, String failure) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private Connector() {
    }

    /** How often the watchdog looks again while a late connection is still creating its channel. */
    static final long RECHECK_MS = 50;

    /**
     * Runs on the PLC's thread; returns within about {@code timeoutMs}, later only while PLC4X creates the
     * connection's Netty channel (bounded by the transport's own connect timeout).
     */
    static Attempt open(PlcDriver driver, DriverCatalog drivers, String connectionString, long timeoutMs) {
        Thread self = Thread.currentThread();
        AtomicBoolean connecting = new AtomicBoolean(true);
        AtomicReference<PlcConnection> created = new AtomicReference<>();
        // PLC4X waits for the session set-up without a limit: interrupt it if it takes too long. But not while
        // it creates the channel: an interrupt there leaves the channel (and its event loop) out of the
        // connection object, so close() cannot release them. See interruptible().
        long hardLimit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + HARD_LIMIT_EXTRA_MS);
        watch(self, connecting, created, timeoutMs, hardLimit);
        ClassLoader context = self.getContextClassLoader();
        PlcConnection candidate = null;
        try {
            ClassLoader transports = drivers.transportLoader(connectionString, driver);
            if (transports != null) {
                self.setContextClassLoader(transports);
            }
            candidate = driver.getConnection(connectionString);
            created.set(candidate);
            candidate.connect();
            endConnecting(connecting);
            if (!candidate.isConnected()) {
                closeAndRelease(candidate);
                return new Attempt(null, "connection closed by the PLC");
            }
            return new Attempt(candidate, null);
        } catch (Exception | LinkageError e) {
            boolean timedOut = endConnecting(connecting) || e instanceof InterruptedException
                    || e.getCause() instanceof InterruptedException;
            closeAndRelease(candidate);
            return new Attempt(null, timedOut ? "no answer within " + timeoutMs + " ms" : describe(e));
        } finally {
            self.setContextClassLoader(context);
        }
    }

    /** After this much beyond the timeout the watchdog interrupts even a channel still being created. */
    static final long HARD_LIMIT_EXTRA_MS = 30_000;

    private static void watch(Thread connector, AtomicBoolean connecting, AtomicReference<PlcConnection> created,
            long delayMs, long hardLimitNanos) {
        CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (connecting) {
                if (!connecting.get()) {
                    return;
                }
                if (interruptible(created.get()) || System.nanoTime() - hardLimitNanos > 0) {
                    connector.interrupt();
                } else {
                    watch(connector, connecting, created, RECHECK_MS, hardLimitNanos);
                }
            }
        });
    }

    /**
     * True when interrupting the connect cannot strand a channel: the connection object exists and either has
     * its channel (PLC4X's Netty connections expose it through {@code getChannel()} once created) or is not a
     * Netty connection at all. Looked up by name: the plc bundle does not import PLC4X's SPI.
     */
    static boolean interruptible(PlcConnection connection) {
        if (connection == null) {
            return false; // still being made by the driver (no I/O); it is about to create its channel
        }
        try {
            return connection.getClass().getMethod("getChannel").invoke(connection) != null;
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return true;
        }
    }

    /** Ends the connect watchdog; true if it had already interrupted us. Clears that interrupt. */
    private static boolean endConnecting(AtomicBoolean connecting) {
        synchronized (connecting) {
            connecting.set(false);
            return Thread.interrupted();
        }
    }

    /**
     * For an attempt that failed after the connection object was made: what PLC4X may leave running is released
     * too ({@link DriverLeftovers}), as far as the channel still shows it.
     */
    private static void closeAndRelease(PlcConnection connection) {
        Runnable leftovers = connection == null ? () -> { } : DriverLeftovers.capture(connection);
        closeQuietly(connection);
        leftovers.run();
    }

    static void closeQuietly(PlcConnection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (Exception | LinkageError e) {
            LOG.debug("closing a PLC connection failed: {}", e.toString());
        }
    }

    /** The root cause, short: "ConnectException: Connection refused". */
    static String describe(Throwable e) {
        return RootCause.describe(e);
    }
}
