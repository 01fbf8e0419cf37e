package site.gateway.support.plcdriver;

import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The future a request's {@code execute()} returns: the exchange with the device runs on the thread that waits for
 * it ({@code get}, {@code join}), bounded by that wait's timeout, so a poll costs no thread hand-off. The plc core
 * always waits with {@code get(timeout)} on the PLC's own thread. A wait that runs out of time throws
 * {@link TimeoutException} as a waiting CompletableFuture would; the exchange has then closed the connection.
 * Code that only chains on the future ({@code thenApply}) and never waits starts nothing: not used that way here.
 */
public final class CallerRunsFuture<T> extends CompletableFuture<T> {
    /** The exchange with the device, given the time it may take. */
    public interface Exchange<T> {
        T run(long timeoutMs) throws Exception;
    }

    private final Exchange<T> exchange;
    private final long defaultTimeoutMs;
    private final AtomicBoolean started = new AtomicBoolean();

    public CallerRunsFuture(Exchange<T> exchange, long defaultTimeoutMs) {
        this.exchange = exchange;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        runOnce(Math.max(1, unit.toMillis(timeout)));
        return super.get(timeout, unit);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        runWithDefaultTimeout();
        return super.get();
    }

    @Override
    public T join() {
        runWithDefaultTimeout();
        return super.join();
    }

    private void runWithDefaultTimeout() {
        try {
            runOnce(defaultTimeoutMs);
        } catch (TimeoutException e) {
            // the future is completed with it: get()/join() report it as the cause
        }
    }

    private void runOnce(long timeoutMs) throws TimeoutException {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            complete(exchange.run(timeoutMs));
        } catch (SocketTimeoutException e) {
            TimeoutException timeout = new TimeoutException(e.getMessage());
            completeExceptionally(timeout);
            throw timeout;
        } catch (Exception | LinkageError e) {
            completeExceptionally(e);
        }
    }
}
