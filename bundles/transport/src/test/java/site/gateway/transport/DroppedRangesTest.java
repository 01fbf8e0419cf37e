package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.SeqRange;

class DroppedRangesTest {

    @Test
    void overlappingAndTouchingRangesMergeAndWhatTheWmsHasIsLeftOut() {
        List<SeqRange> in = List.of(new SeqRange(20, 25), new SeqRange(3, 5), new SeqRange(6, 8), new SeqRange(7, 12),
                new SeqRange(1, 1), new SeqRange(30, 30));
        assertThat(DroppedRanges.coalesce(in, 0))
                .containsExactly(new SeqRange(1, 1), new SeqRange(3, 12), new SeqRange(20, 25), new SeqRange(30, 30));
        assertThat(DroppedRanges.coalesce(in, 10))
                .containsExactly(new SeqRange(11, 12), new SeqRange(20, 25), new SeqRange(30, 30));
        assertThat(DroppedRanges.coalesce(in, 30)).isEmpty();
    }

    @Test
    void chunksKeepOrderAndSize() {
        List<SeqRange> ranges = List.of(new SeqRange(1, 1), new SeqRange(3, 3), new SeqRange(5, 5));
        assertThat(DroppedRanges.chunks(ranges, 2)).containsExactly(List.of(new SeqRange(1, 1), new SeqRange(3, 3)),
                List.of(new SeqRange(5, 5)));
    }
}
