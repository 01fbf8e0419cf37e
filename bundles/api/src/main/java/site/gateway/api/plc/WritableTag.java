package site.gateway.api.plc;

import java.util.List;
import java.util.Optional;

/**
 * A tag that commands may write, with its optional inclusive range. Tags a site did not mark
 * {@code writable} have none: a write to them is refused. The range applies to numbers (and to each
 * number of an array); a tag with a range takes numbers only.
 *
 * @param min lowest value allowed, or {@code null} for no lower bound
 * @param max highest value allowed, or {@code null} for no upper bound
 */
public record WritableTag(String tag, Double min, Double max) {

    public WritableTag {
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min " + min + " of tag " + tag + " is above its max " + max);
        }
    }

    /** Why {@code value} may not be written to this tag, or empty when it may. */
    public Optional<String> refusal(Object value) {
        if (min == null && max == null) {
            return Optional.empty();
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                Optional<String> refused = refusal(item);
                if (refused.isPresent()) {
                    return refused;
                }
            }
            return Optional.empty();
        }
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            return Optional.of("tag " + tag + " has a range and takes numbers only");
        }
        double d = n.doubleValue();
        if (min != null && d < min) {
            return Optional.of("value " + value + " is below the min " + min + " of tag " + tag);
        }
        if (max != null && d > max) {
            return Optional.of("value " + value + " is above the max " + max + " of tag " + tag);
        }
        return Optional.empty();
    }
}
