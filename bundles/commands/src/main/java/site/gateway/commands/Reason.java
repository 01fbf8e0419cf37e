package site.gateway.commands;

/** Why a command was refused (§3.6), in the order of precedence: the first that applies wins. */
public enum Reason {
    INVALID_PAYLOAD("invalid-payload", false),
    UNKNOWN_KEY("unknown-key", true),
    BAD_SIGNATURE("bad-signature", true),
    WRONG_GATEWAY("wrong-gateway", true),
    EXPIRED("expired", false),
    REPLAYED("replayed", true),
    UNKNOWN_PLC("unknown-plc", false),
    UNSUPPORTED_KIND("unsupported-kind", false),
    QUEUE_FULL("queue-full", false);

    private final String wireName;
    private final boolean alerting;

    Reason(String wireName, boolean alerting) {
        this.wireName = wireName;
        this.alerting = alerting;
    }

    public String wireName() {
        return wireName;
    }

    /** Rejections that may be an attack or a misconfiguration raise a {@code command.rejected} alert. */
    public boolean raisesAlert() {
        return alerting;
    }
}
