package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.SeqRange;

class DropsToAnnounceTest {

    @Test
    void rangesMergeAsTheyComeAndLeaveLowestFirst() {
        DropsToAnnounce drops = new DropsToAnnounce();
        drops.add(new SeqRange(10, 10));
        drops.add(new SeqRange(11, 11));
        drops.add(new SeqRange(3, 4));
        drops.add(new SeqRange(20, 25));
        drops.add(new SeqRange(5, 21));
        drops.add(new SeqRange(40, 40));

        assertThat(drops.take(1)).containsExactly(new SeqRange(3, 25));
        assertThat(drops.isEmpty()).isFalse();
        assertThat(drops.take(10)).containsExactly(new SeqRange(40, 40));
        assertThat(drops.isEmpty()).isTrue();
    }
}
