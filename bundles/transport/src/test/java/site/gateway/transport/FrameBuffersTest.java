package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBuffersTest {
    private final FrameBuffers buffers = new FrameBuffers(8);

    @Test
    void anArrayIsLeasedAgainOnlyAfterItsFrameWasWritten() {
        byte[] a = buffers.lease(1000);
        byte[] b = buffers.lease(1000);
        assertThat(b).isNotSameAs(a);
        buffers.written(a);
        assertThat(buffers.lease(1000)).isSameAs(a);
        assertThat(buffers.lease(1000)).isNotSameAs(a).isNotSameAs(b);
    }

    @Test
    void anArrayWhoseWriteFailedIsNeverLeasedAgain() {
        byte[] inFlight = buffers.lease(100);
        byte[] failed = buffers.lease(100);
        buffers.abandoned(failed);
        buffers.written(failed); // a late success of the same frame changes nothing
        assertThat(buffers.freeCount()).isZero();
        assertThat(buffers.lease(100)).isNotSameAs(failed).isNotSameAs(inFlight);
    }

    @Test
    void aFreeArrayTooSmallForTheNextFrameIsReplaced() {
        byte[] held = buffers.lease(10);
        byte[] small = buffers.lease(100);
        buffers.written(small);
        byte[] larger = buffers.lease(10_000);
        assertThat(larger).isNotSameAs(small).isNotSameAs(held);
        assertThat(larger.length).isGreaterThanOrEqualTo(10_000);
        assertThat(buffers.freeCount()).isZero();
    }

    @Test
    void withNoFrameInFlightNoArrayIsKept() {
        byte[] a = buffers.lease(1000);
        byte[] b = buffers.lease(1000);
        buffers.written(a);
        assertThat(buffers.freeCount()).isEqualTo(1);
        buffers.written(b);
        assertThat(buffers.freeCount()).isZero();
        assertThat(buffers.lease(1000)).isNotSameAs(a).isNotSameAs(b);
    }

    @Test
    void keepsAtMostTheFramesInFlight() {
        FrameBuffers two = new FrameBuffers(2);
        byte[] held = two.lease(10);
        byte[][] written = {two.lease(10), two.lease(10), two.lease(10)};
        for (byte[] w : written) {
            two.written(w);
        }
        assertThat(two.freeCount()).isEqualTo(2);
        two.written(held);
        assertThat(two.freeCount()).isZero();
    }
}
