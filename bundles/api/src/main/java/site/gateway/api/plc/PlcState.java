package site.gateway.api.plc;

import java.util.Locale;

/** Connection state of a managed PLC, as reported in heartbeats (§3.4). */
public enum PlcState {
    CONNECTED, UNREACHABLE, DISABLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
