package site.gateway.health;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;

/** One PLC (registered per PLC by {@link PlcChecks}): reads its state from the registry at each execution. */
final class PlcCheck implements HealthCheck {
    private final String plcId;
    private final Supplier<PlcRegistry> registry;
    private final long readAgeWarnMillis;
    private final LongSupplier clock;

    PlcCheck(String plcId, Supplier<PlcRegistry> registry, long readAgeWarnSeconds, LongSupplier clock) {
        this.plcId = plcId;
        this.registry = registry;
        this.readAgeWarnMillis = readAgeWarnSeconds * 1000;
        this.clock = clock;
    }

    @Override
    public Result execute() {
        PlcRegistry current = registry.get();
        Optional<PlcStatus> found = current == null ? Optional.empty() : current.status(plcId);
        if (found.isEmpty()) {
            return new Result(Result.Status.WARN, "PLC " + plcId + " is no longer managed");
        }
        PlcStatus plc = found.get();
        switch (plc.state()) {
            case DISABLED:
                return new Result(Result.Status.OK, "PLC " + plcId + " (" + plc.driver() + ") is disabled by configuration");
            case UNREACHABLE:
                return new Result(Result.Status.CRITICAL, "PLC " + plcId + " (" + plc.driver() + ") unreachable"
                        + (plc.reason() == null ? "" : ": " + plc.reason()));
            default:
                long age = plc.lastReadTs() <= 0 ? -1 : clock.getAsLong() - plc.lastReadTs();
                if (readAgeWarnMillis > 0 && (age < 0 || age > readAgeWarnMillis)) {
                    return new Result(Result.Status.WARN, "PLC " + plcId + " connected but "
                            + (age < 0 ? "not read yet" : "last read " + Checks.human(Duration.ofMillis(age)) + " ago"));
                }
                return new Result(Result.Status.OK, "PLC " + plcId + " (" + plc.driver() + ") connected, last read "
                        + Checks.human(Duration.ofMillis(Math.max(0, age))) + " ago");
        }
    }
}
