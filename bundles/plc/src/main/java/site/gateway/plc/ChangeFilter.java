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

    /** True if the reading is to be sent. Does not remember it: {@link #sent} does, once it is buffered. */
    boolean wants(TagSpec spec, TagValue reading) {
        Sent previous = lastSent.get(spec.name());
        return !spec.reportOnChange() || previous == null || previous.quality() != reading.quality()
                || changed(spec.deadband(), previous.value(), reading.value());
    }

    /**
     * The reading was buffered: it is the value to compare with from now on. A reading the buffer refused
     * is never recorded, so the change is sent again with the next reading.
     */
    void sent(TagSpec spec, TagValue reading) {
        lastSent.put(spec.name(), new Sent(reading.value(), reading.quality()));
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
