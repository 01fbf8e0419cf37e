package site.gateway.api.plc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The PLCs this gateway manages. Reads and writes on one PLC are serialised with its polling, so a
 * command and a poll never interleave on one connection. Failed stages complete with {@link PlcException}.
 */
@ProviderType
public interface PlcRegistry {

    List<PlcStatus> statuses();

    /**
     * The PLCs configured (factory configurations of {@code gateway.plc} in Config Admin) that are not running
     * yet, by plcId (the configuration's PID when it names none). Empty once every configured PLC is in
     * {@link #statuses()}; a configuration that cannot start (invalid) stays here. The transport waits, bounded,
     * for this to be empty before its first {@code register}, so the register lists every configured PLC.
     */
    default Set<String> pendingConfigurations() {
        return Set.of();
    }

    Optional<PlcStatus> status(String plcId);

    /** Tag names configured for the PLC; empty when the PLC is unknown. */
    Set<String> tags(String plcId);

    /**
     * The tags of the PLC that commands may write, by name, with their ranges; tags not listed are
     * read-only. Empty when the PLC is unknown. A provider that does not know write permissions keeps
     * the default: nothing is writable.
     *
     * @since 1.1
     */
    default Map<String, WritableTag> writableTags(String plcId) {
        return Map.of();
    }

    /**
     * Read counts, errors and latency of the running PLCs, by plcId. A provider that does not count keeps
     * the default: none.
     *
     * @since 2.1
     */
    default List<PlcReadStats> readStats() {
        return List.of();
    }

    /** Reads the tags, in the given order. */
    CompletionStage<List<TagValue>> read(String plcId, List<String> tags, Duration timeout);

    /**
     * Writes the values in order; stops at the first failure. Completes with what was written. A write
     * to a tag that is not writable, or outside its range, fails with {@link PlcException.Reason#INVALID_VALUE}.
     */
    CompletionStage<List<TagWrite>> write(String plcId, List<TagWrite> writes, Duration timeout);
}
