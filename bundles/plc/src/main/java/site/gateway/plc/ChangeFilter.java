package site.gateway.plc;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import site.gateway.api.plc.Quality;
import site.gateway.api.plc.TagValue;

/** Decides which readings to send for tags that report on change (with an optional numeric deadband). */
final class ChangeFilter {
    private record Sent(Object value, Quality quality) {
    }

    private final Map<String, Sent> lastSent = new HashMap<>();

    /** True if the reading is to be sent; remembers it as the last sent value if so. */
    boolean accept(TagSpec spec, TagValue reading) {
        Sent previous = lastSent.get(spec.name());
        boolean send = !spec.reportOnChange() || previous == null || previous.quality() != reading.quality()
                || changed(spec.deadband(), previous.value(), reading.value());
        if (send) {
            lastSent.put(spec.name(), new Sent(reading.value(), reading.quality()));
        }
        return send;
    }

    /** Forget everything so that the next reading of every tag is sent (after a reconnect or reconfiguration). */
    void reset() {
        lastSent.clear();
    }

    private static boolean changed(double deadband, Object before, Object now) {
        if (before instanceof Number a && now instanceof Number b) {
            double delta = Math.abs(a.doubleValue() - b.doubleValue());
            return deadband > 0 ? delta >= deadband : delta != 0;
        }
        return !Objects.equals(before, now);
    }
}
