package site.gateway.console;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import site.gateway.api.outbox.Outbox;
import site.gateway.support.thread.DaemonThreads;

/**
 * Samples the buffer every {@value #PERIOD_SECONDS} s for the Gateway page's chart of the last hour: the
 * delivery rate (growth of the acknowledged seq per second) and the buffer depth. Kept in memory only.
 */
@Component(service = HistorySampler.class, immediate = true)
public class HistorySampler {
    static final int PERIOD_SECONDS = 10;
    static final int SAMPLES = 3600 / PERIOD_SECONDS;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Outbox outbox;

    private final History history = new History(SAMPLES);
    private ScheduledExecutorService timer;
    private long lastAcked = -1;
    private long lastTs;

    @Activate
    void activate() {
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-console-history"));
        timer.scheduleAtFixedRate(() -> sample(System.currentTimeMillis()), 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    synchronized void sample(long now) {
        Outbox current = outbox;
        if (current == null) {
            lastAcked = -1;
            return;
        }
        long acked = current.lastAckedSeq();
        double rate = lastAcked < 0 || now <= lastTs ? Double.NaN : Math.max(0, acked - lastAcked) * 1000.0 / (now - lastTs);
        history.add(now, rate, current.stats().messages());
        lastAcked = acked;
        lastTs = now;
    }

    History.Samples samples() {
        return history.samples();
    }
}
