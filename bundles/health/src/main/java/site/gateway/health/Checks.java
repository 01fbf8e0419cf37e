package site.gateway.health;

import java.time.Duration;

/** Tags and wording shared by the gateway's health checks. */
final class Checks {
    /** Every check of the gateway carries this tag: {@code /system/health} runs them by default. */
    static final String GATEWAY = "gateway";

    private Checks() {
    }

    /** "3 h 5 min", "42 s": for messages an operator reads. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86_400) {
            return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
        }
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        if (s >= 60) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s + " s";
    }
}
