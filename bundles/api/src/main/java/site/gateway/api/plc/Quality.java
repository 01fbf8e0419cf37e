package site.gateway.api.plc;

import java.util.Locale;

/** Quality of a reading (§3.2 telemetry). */
public enum Quality {
    GOOD, UNCERTAIN, BAD;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
