package site.gateway.support.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.osgi.service.component.ComponentException;
import org.slf4j.Logger;

/**
 * The one policy for a component's configuration (issue 17.3). The component turns its configuration into
 * settings with a function that throws {@link IllegalArgumentException} for an invalid value; Felix SCR
 * throws {@link ComponentException} when a property has the wrong type, and that is treated alike.
 * <ul>
 * <li>An invalid <em>first</em> configuration: the component does not go into service. The reason is logged
 * and audited ({@code config.rejected}), and {@link #first} throws a {@link ComponentException} saying so.
 * No silent defaults: a gateway running on settings nobody chose is worse than one that says it cannot start.</li>
 * <li>An invalid <em>update</em>: logged and audited, and the component keeps the settings it runs with.</li>
 * </ul>
 *
 * @param <S> the component's validated settings
 */
public final class ConfigGate<S> {
    private final String pid;
    private final Logger log;
    private final Consumer<String> audit;

    /**
     * @param pid   the configuration PID, named in the log and in the exception
     * @param log   the component's logger
     * @param audit records {@code config.rejected} with the reason given (the component knows its audit target)
     */
    public ConfigGate(String pid, Logger log, Consumer<String> audit) {
        this.pid = Objects.requireNonNull(pid, "pid");
        this.log = Objects.requireNonNull(log, "log");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** The settings of the first configuration; if it is invalid, the component does not start. */
    public S first(Supplier<S> settings) {
        try {
            return settings.get();
        } catch (IllegalArgumentException | ComponentException e) {
            String reason = reason(e);
            log.error("Invalid configuration {}: {}; the component is not started", pid, reason);
            audit(reason);
            throw new ComponentException("Invalid configuration " + pid + ": " + reason
                    + "; the component is not started until it is corrected", e);
        }
    }

    /**
     * The settings of an updated configuration, or empty if it is invalid: then the reason is logged and
     * audited, and the caller keeps what it runs with.
     *
     * @param keeping what stays in force, for the log ("the previous one", or the settings themselves)
     */
    public Optional<S> check(Supplier<S> settings, String keeping) {
        try {
            return Optional.of(settings.get());
        } catch (IllegalArgumentException | ComponentException e) {
            String reason = reason(e);
            log.error("Invalid configuration {}: {}; keeping {}", pid, reason, keeping);
            audit(reason);
            return Optional.empty();
        }
    }

    /**
     * For one method that is both the activate and the modified method: {@link #first} when {@code first},
     * else {@link #check} keeping the previous settings.
     */
    public Optional<S> settings(boolean first, Supplier<S> settings) {
        return first ? Optional.of(first(settings)) : check(settings, "the previous settings");
    }

    private void audit(String reason) {
        try {
            audit.accept(reason);
        } catch (RuntimeException e) {
            log.warn("Could not audit the rejected configuration {}: {}", pid, e.toString());
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
