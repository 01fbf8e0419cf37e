package site.gateway.health;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxStats;

/** The store-and-forward buffer: how full it is (of gateway.buffer's maxBytes) and how old its oldest message. */
@Component(configurationPid = HealthConfig.PID)
@Designate(ocd = HealthConfig.class)
@HealthCheckService(name = "Buffer", tags = {Checks.GATEWAY, "buffer"})
public class BufferCheck implements HealthCheck {
    static final String BUFFER_PID = "gateway.buffer";
    /** The buffer's own default (StorageConfig.maxBytes), used while gateway.buffer names none. */
    static final long DEFAULT_MAX_BYTES = 536_870_912L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Outbox outbox;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configurations;

    private final HealthConfig config;
    private final LongSupplier clock;

    @Activate
    public BufferCheck(HealthConfig config) {
        this(config, System::currentTimeMillis);
    }

    BufferCheck(HealthConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Result execute() {
        return Checks.ifRunning(outbox, Result.Status.CRITICAL,
                "The buffer is not running (feature storage): nothing can be kept for the WMS", this::check);
    }

    private Result check(Outbox current) {
        OutboxStats stats = current.stats();
        FormattingResultLog log = new FormattingResultLog();
        long maxBytes = maxBytes();
        long percent = maxBytes <= 0 ? 0 : Math.round(100.0 * stats.bytes() / maxBytes);
        String fill = stats.messages() + " messages, " + stats.bytes() + " of " + maxBytes + " bytes (" + percent + " %)";
        if (percent >= config.bufferFillCriticalPercent()) {
            log.critical("Buffer nearly full: {}; at 100 % it drops or refuses messages", fill);
        } else if (percent >= config.bufferFillWarnPercent()) {
            log.warn("Buffer filling: {}", fill);
        } else {
            log.info("Buffer: {}", fill);
        }
        if (stats.oldestCreatedAt() > 0) {
            Duration age = Duration.ofMillis(Math.max(0, clock.getAsLong() - stats.oldestCreatedAt()));
            if (age.getSeconds() >= config.oldestMessageCriticalSeconds()) {
                log.critical("Oldest buffered message is {} old: the WMS has not acknowledged it", Checks.human(age));
            } else if (age.getSeconds() >= config.oldestMessageWarnSeconds()) {
                log.warn("Oldest buffered message is {} old", Checks.human(age));
            } else {
                log.info("Oldest buffered message is {} old", Checks.human(age));
            }
        }
        if (stats.droppedTotal() + stats.rejectedTotal() > 0) {
            log.info("Lost since the buffer was created: {} dropped, {} refused", stats.droppedTotal(), stats.rejectedTotal());
        }
        return new Result(log);
    }

    /** gateway.buffer's maxBytes as configured now (late binding: a changed capacity counts at once). */
    private long maxBytes() {
        ConfigurationAdmin admin = configurations;
        if (admin == null) {
            return DEFAULT_MAX_BYTES;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + BUFFER_PID + ")");
            Object value = found == null || found[0].getProperties() == null ? null : found[0].getProperties().get("maxBytes");
            return value == null ? DEFAULT_MAX_BYTES : Long.parseLong(value.toString().trim());
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | NumberFormatException e) {
            return DEFAULT_MAX_BYTES;
        }
    }
}
