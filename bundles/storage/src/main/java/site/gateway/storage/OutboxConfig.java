package site.gateway.storage;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Gateway buffer",
        description = "The durable store-and-forward buffer of messages for the WMS (an H2 MVStore file).")
public @interface OutboxConfig {
    String PID = "gateway.buffer";

    @AttributeDefinition(name = "Directory", description = "Where the buffer file lives. A relative path "
            + "resolves against the system property gateway.home, else the working directory. Changing it "
            + "moves the buffer there (refused if the target already holds a buffer).")
    String directory() default "data/buffer";

    @AttributeDefinition(name = "Maximum bytes", description = "Stored message bytes allowed (at least 1024). "
            + "The file may exceed this by the margin given in docs/storage.md.")
    long maxBytes() default 536_870_912L;

    @AttributeDefinition(name = "When full", description = "drop-oldest: discard the oldest telemetry, then "
            + "the oldest alerts and command results; reject-new: refuse new messages.",
            options = {@Option(label = "Drop the oldest", value = "drop-oldest"),
                    @Option(label = "Reject new messages", value = "reject-new")})
    String whenFull() default "drop-oldest";

    @AttributeDefinition(name = "Sync interval (ms)", description = "Group commit, on demand: a change is "
            + "committed and synced to the device at once, but at most one sync per this many ms; only synced "
            + "messages are sent to the WMS, so this bounds their added latency. Raise it on flash that wears "
            + "(SD cards). 0 = no spacing, and every append waits until it is synced (slow, safest).")
    long syncIntervalMs() default 10;

    @AttributeDefinition(name = "High-water mark (%)", description = "A buffer.high-water alert is raised "
            + "when this share of maxBytes is used (1-100).")
    int highWaterPercent() default 80;
}
