package site.gateway.commands;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.plc.PlcException;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/** Carries out one accepted command: PLC writes or reads with a timeout, or a Config Admin update. */
final class CommandExecutor {
    private final PlcRegistry plcs;
    private final Supplier<ConfigurationAdmin> configAdmin;

    CommandExecutor(PlcRegistry plcs, Supplier<ConfigurationAdmin> configAdmin) {
        this.plcs = plcs;
        this.configAdmin = configAdmin;
    }

    Outcome execute(QueuedCommand queued, Duration timeout) {
        Command command = queued.command();
        Action action = queued.action();
        if (action instanceof Action.Writes writes) {
            return write(command.plcId(), writes.writes(), timeout);
        }
        if (action instanceof Action.Reads reads) {
            return read(command.plcId(), reads.tags(), timeout);
        }
        return configure((Action.GatewayConfig) action);
    }

    private Outcome write(String plcId, List<TagWrite> writes, Duration timeout) {
        try {
            List<TagWrite> written = await(() -> plcs.write(plcId, writes, timeout), timeout);
            return Outcome.succeeded(written(written));
        } catch (Failure f) {
            return f.outcome(written(List.of()));
        }
    }

    private Outcome read(String plcId, List<String> tags, Duration timeout) {
        try {
            List<TagValue> values = await(() -> plcs.read(plcId, tags, timeout), timeout);
            ObjectNode result = Json.object();
            ArrayNode array = result.putArray("values");
            for (TagValue v : values) {
                ObjectNode item = array.addObject();
                item.put("tag", v.tag());
                // NaN and infinities have no JSON number (§3.2): such a read is bad, with no value.
                boolean finite = isFinite(v.value());
                item.set("value", finite ? Json.value(v.value()) : Json.value(null));
                item.put("quality", finite ? v.quality().wireName() : Quality.BAD.wireName());
            }
            return Outcome.succeeded(result);
        } catch (Failure f) {
            ObjectNode empty = Json.object();
            empty.putArray("values");
            return f.outcome(empty);
        }
    }

    private static ObjectNode written(List<TagWrite> writes) {
        ObjectNode result = Json.object();
        ArrayNode array = result.putArray("written");
        for (TagWrite w : writes) {
            ObjectNode item = array.addObject();
            item.put("tag", w.tag());
            item.set("value", Json.value(w.value()));
        }
        return result;
    }

    private Outcome configure(Action.GatewayConfig config) {
        ConfigurationAdmin admin = configAdmin.get();
        if (admin == null) {
            return Outcome.unsuccessful(Outcome.Status.FAILED, null, "Config Admin is not available");
        }
        try {
            Configuration configuration = configuration(admin, config.pid());
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null) {
                properties = new Hashtable<>();
            }
            for (Map.Entry<String, Object> property : config.properties().entrySet()) {
                properties.put(property.getKey(), property.getValue());
            }
            configuration.update(properties);
        } catch (IOException | RuntimeException e) {
            return Outcome.unsuccessful(Outcome.Status.FAILED, null, "configuration update failed: " + e.getMessage());
        }
        ObjectNode result = Json.object();
        ObjectNode applied = result.putObject("applied");
        applied.put("pid", config.pid());
        ObjectNode properties = applied.putObject("properties");
        config.properties().forEach((key, value) -> properties.set(key, Json.value(value)));
        return Outcome.succeeded(result);
    }

    /** {@code factory~name} is a named factory configuration (OSGi CM 1.6), anything else a plain PID. */
    private static Configuration configuration(ConfigurationAdmin admin, String pid) throws IOException {
        int tilde = pid.indexOf('~');
        if (tilde > 0 && tilde < pid.length() - 1) {
            return admin.getFactoryConfiguration(pid.substring(0, tilde), pid.substring(tilde + 1), "?");
        }
        return admin.getConfiguration(pid, "?");
    }

    private static <T> T await(Supplier<CompletionStage<T>> operation, Duration timeout) throws Failure {
        CompletableFuture<T> future;
        try {
            future = operation.get().toCompletableFuture();
        } catch (RuntimeException e) {
            throw new Failure(Outcome.Status.FAILED, String.valueOf(e));
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new Failure(Outcome.Status.TIMED_OUT, "no answer from the PLC within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Outcome.Status.FAILED, "gateway stopping");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PlcException plc) {
                Outcome.Status status = plc.reason() == PlcException.Reason.TIMEOUT
                        ? Outcome.Status.TIMED_OUT : Outcome.Status.FAILED;
                throw new Failure(status, plc.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + ": " + plc.getMessage());
            }
            throw new Failure(Outcome.Status.FAILED, String.valueOf(cause));
        }
    }

    /** A PLC operation that did not succeed. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final Outcome.Status status;

        Failure(Outcome.Status status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        Outcome outcome(ObjectNode emptyResult) {
            return Outcome.unsuccessful(status, emptyResult, getMessage());
        }
    }

    private static boolean isFinite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f);
        }
        if (value instanceof List<?> list) {
            return list.stream().allMatch(CommandExecutor::isFinite);
        }
        return true;
    }
}
