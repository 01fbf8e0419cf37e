package site.gateway.plc;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/** One configured PLC, as a service inside this bundle; {@link PlcRegistryComponent} gathers them. */
public interface ManagedPlc {
    /** The configured id, or null while the PLC has no valid configuration. */
    String plcId();

    PlcStatus status();

    Set<String> tags();

    /** The tags commands may write, with their ranges. */
    java.util.Map<String, site.gateway.api.plc.WritableTag> writableTags();

    /** Reads, read errors and read latency since the configuration was last applied; null while not running. */
    PlcReadStats readStats();

    CompletionStage<List<TagValue>> read(List<String> tags, Duration timeout);

    CompletionStage<List<TagWrite>> write(List<TagWrite> writes, Duration timeout);
}
