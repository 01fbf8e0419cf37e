package site.gateway.storage;

/** What the buffer does when a new message would take it past {@code maxBytes}. */
public enum FullPolicy {
    /** Keep accepting; discard the oldest telemetry, then the oldest alerts and command results. */
    DROP_OLDEST("drop-oldest"),
    /** Refuse new messages with {@link site.gateway.api.outbox.OutboxFullException}. */
    REJECT_NEW("reject-new");

    private final String configName;

    FullPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static FullPolicy parse(String value) {
        for (FullPolicy p : values()) {
            if (p.configName.equals(value == null ? null : value.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("whenFull must be drop-oldest or reject-new, not '" + value + "'");
    }
}
