package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class SeqRangesTest {
    final TreeMap<Long, Long> ranges = new TreeMap<>();
    final List<Long> mergedAway = new ArrayList<>();

    @Test
    void separateRangesStaySeparate() {
        SeqRanges.add(ranges, 1, 3, mergedAway::add);
        SeqRanges.add(ranges, 10, 12, mergedAway::add);
        assertThat(ranges).containsExactly(entry(1L, 3L), entry(10L, 12L));
        assertThat(mergedAway).isEmpty();
    }

    @Test
    void adjacentAndOverlappingRangesMergeIntoTheEarlierStart() {
        SeqRanges.add(ranges, 5, 6, mergedAway::add);
        SeqRanges.add(ranges, 10, 12, mergedAway::add);
        assertThat(SeqRanges.add(ranges, 7, 9, mergedAway::add)).as("touches both").isEqualTo(5);
        assertThat(ranges).containsExactlyEntriesOf(Map.of(5L, 12L));
        assertThat(mergedAway).containsExactly(10L);

        assertThat(SeqRanges.add(ranges, 1, 20, mergedAway::add)).isEqualTo(1);
        assertThat(ranges).containsExactlyEntriesOf(Map.of(1L, 20L));
        assertThat(mergedAway).containsExactly(10L, 5L);
    }

    @Test
    void aRangeInsideAnotherChangesNothing() {
        SeqRanges.add(ranges, 1, 20, mergedAway::add);
        assertThat(SeqRanges.add(ranges, 4, 6, mergedAway::add)).isEqualTo(1);
        assertThat(ranges).containsExactlyEntriesOf(Map.of(1L, 20L));
        assertThat(mergedAway).isEmpty();
    }
}
