package site.gateway.plc.opcua;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The executor of one connection's Milo client. While the session is being opened or closed it hands tasks to
 * Milo's shared pool, as Milo expects (its connect waits on the pool in places); once the session is open it runs
 * them on the thread that submits them: the request is then encoded on the event loop as it is written, and the
 * answer decoded and handed over by the event loop that read it, two thread hand-offs fewer per poll. The pool is
 * the one of when the connection was made: once the driver has released it (bundle stopping), a late task of this
 * connection runs on the calling thread instead of making Milo create a new shared pool that nothing would release.
 */
final class InlineOnceOpen extends AbstractExecutorService {
    private final ExecutorService pool;
    private volatile boolean inline;

    InlineOnceOpen(ExecutorService pool) {
        this.pool = pool;
    }

    void inline(boolean inline) {
        this.inline = inline;
    }

    @Override
    public void execute(Runnable task) {
        if (inline || pool.isShutdown()) {
            task.run();
        } else {
            pool.execute(task);
        }
    }

    @Override
    public void shutdown() {
        // Milo does not shut a configured executor down; the shared pool is released with the driver
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
