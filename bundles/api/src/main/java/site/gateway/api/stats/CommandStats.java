package site.gateway.api.stats;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** What became of the WMS's commands, for monitoring; registered by the commands bundle. */
@ProviderType
public interface CommandStats {
    /** Outcomes, as the keys of {@link #latencyByOutcome()}. */
    String REJECTED = "rejected";
    String SUCCEEDED = "succeeded";
    String FAILED = "failed";
    String TIMED_OUT = "timed-out";
    String EXPIRED = "expired";

    /**
     * Time from a command's arrival to its outcome, by outcome: the rejection reply for {@code rejected},
     * the command.result for the others (queueing included). Every outcome is present, possibly empty.
     */
    Map<String, LatencyHistogram> latencyByOutcome();
}
