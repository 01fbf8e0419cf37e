package site.gateway.api.outbox;

/** The kinds of durable message (§3.2). When the buffer is full, telemetry is dropped before the others. */
public enum MessageType {
    TELEMETRY("telemetry"),
    COMMAND_RESULT("command.result"),
    ALERT("alert");

    private final String wireName;

    MessageType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the message's {@code "type"} field. */
    public String wireName() {
        return wireName;
    }

    /** True for kinds that are dropped only after all telemetry is gone. */
    public boolean keptLonger() {
        return this != TELEMETRY;
    }

    public static MessageType fromWire(String name) {
        for (MessageType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown durable message type: " + name);
    }
}
