package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Tags that one request can read together, from {@code start} to {@code end}. {@link #gather} takes entries sorted
 * by where they start into runs of at most {@code limit} units from the first one's start: a new run where the next
 * entry would not fit or starts more than {@code maxGap} units after the run's end.
 *
 * @param end exclusive
 */
public record Run<E>(List<E> entries, int start, int end) {
    public static <E> List<Run<E>> gather(List<E> sorted, ToIntFunction<E> from, ToIntFunction<E> length, int limit,
            int maxGap) {
        List<Run<E>> runs = new ArrayList<>();
        List<E> current = new ArrayList<>();
        int start = 0;
        int end = 0;
        for (E entry : sorted) {
            int at = from.applyAsInt(entry);
            int to = at + length.applyAsInt(entry);
            if (!current.isEmpty() && (at - end > maxGap || Math.max(end, to) - start > limit)) {
                runs.add(new Run<>(current, start, end));
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = at;
                end = to;
            }
            current.add(entry);
            end = Math.max(end, to);
        }
        if (!current.isEmpty()) {
            runs.add(new Run<>(current, start, end));
        }
        return runs;
    }
}
