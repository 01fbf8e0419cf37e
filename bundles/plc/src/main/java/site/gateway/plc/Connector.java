package site.gateway.plc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    /** Runs on the PLC's thread; returns within about {@code timeoutMs}. */
    static Attempt open(PlcDriver driver, DriverCatalog drivers, String connectionString, long timeoutMs) {
        Thread self = Thread.currentThread();
        AtomicBoolean connecting = new AtomicBoolean(true);
        // PLC4X waits for the session set-up without a limit: interrupt it if it takes too long.
        CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (connecting) {
                if (connecting.get()) {
                    self.interrupt();
                }
            }
        });
        ClassLoader context = self.getContextClassLoader();
        PlcConnection candidate = null;
        try {
            ClassLoader transports = drivers.transportLoader(connectionString, driver);
            if (transports != null) {
                self.setContextClassLoader(transports);
            }
            candidate = driver.getConnection(connectionString);
            candidate.connect();
            endConnecting(connecting);
            if (!candidate.isConnected()) {
                closeQuietly(candidate);
                return new Attempt(null, "connection closed by the PLC");
            }
            return new Attempt(candidate, null);
        } catch (Exception | LinkageError e) {
            boolean timedOut = endConnecting(connecting) || e instanceof InterruptedException
                    || e.getCause() instanceof InterruptedException;
            closeQuietly(candidate);
            return new Attempt(null, timedOut ? "no answer within " + timeoutMs + " ms" : describe(e));
        } finally {
            self.setContextClassLoader(context);
        }
    }

    /** Ends the connect watchdog; true if it had already interrupted us. Clears that interrupt. */
    private static boolean endConnecting(AtomicBoolean connecting) {
        synchronized (connecting) {
            connecting.set(false);
            return Thread.interrupted();
        }
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
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
