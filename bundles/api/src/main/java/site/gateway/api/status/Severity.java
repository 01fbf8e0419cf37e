package site.gateway.api.status;

import java.util.Locale;

public enum Severity {
    WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
