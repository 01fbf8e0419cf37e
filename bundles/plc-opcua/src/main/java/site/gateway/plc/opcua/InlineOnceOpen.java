package site.gateway.plc.opcua;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.stack.core.Stack;

/**
 * The executor of one connection's Milo client. While the session is being opened or closed it hands tasks to
 * Milo's shared pool, as Milo expects (its connect waits on the pool in places); once the session is open it runs
 * them on the thread that submits them: a request is then encoded on the PLC's thread and its answer decoded and
 * completed on the event loop thread that read it, two thread hand-offs fewer per poll.
 */
final class InlineOnceOpen extends AbstractExecutorService {
    private volatile boolean inline;

    void inline(boolean inline) {
        this.inline = inline;
    }

    @Override
    public void execute(Runnable task) {
        if (inline) {
            task.run();
        } else {
            Stack.sharedExecutor().execute(task);
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
