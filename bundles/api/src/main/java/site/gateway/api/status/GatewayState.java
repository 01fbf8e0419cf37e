package site.gateway.api.status;

import java.util.Locale;

/** The gateway's state as sent in {@code status} and heartbeats (§3.5). */
public enum GatewayState {
    OPERATIONAL, DEGRADED, SHUTTING_DOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
