package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBuffersTest {
    @Test
    void anArrayIsLeasedAgainOnlyAfterItsFrameWasWritten() {
        FrameBuffers buffers = new FrameBuffers(8);
        byte[] a = buffers.lease(1000);
        byte[] b = buffers.lease(1000);
        assertThat(b).isNotSameAs(a);
        buffers.written(a);
        assertThat(buffers.lease(1000)).isSameAs(a);
        assertThat(buffers.lease(1000)).isNotSameAs(a).isNotSameAs(b);
    }

    @Test
    void anArrayWhoseWriteFailedIsNeverLeasedAgain() {
        FrameBuffers buffers = new FrameBuffers(8);
        byte[] inFlight = buffers.lease(100);
        byte[] failed = buffers.lease(100);
        buffers.abandoned(failed);
        buffers.written(failed); // a late success of the same frame changes nothing
        assertThat(buffers.freeCount()).isZero();
        assertThat(buffers.lease(100)).isNotSameAs(failed).isNotSameAs(inFlight);
    }

    @Test
    void aFreeArrayTooSmallForTheNextFrameIsReplaced() {
        FrameBuffers buffers = new FrameBuffers(8);
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
        FrameBuffers buffers = new FrameBuffers(8);
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
        FrameBuffers buffers = new FrameBuffers(2);
        byte[] held = buffers.lease(10);
        byte[][] written = {buffers.lease(10), buffers.lease(10), buffers.lease(10)};
        for (byte[] w : written) {
            buffers.written(w);
        }
        assertThat(buffers.freeCount()).isEqualTo(2);
        buffers.written(held);
        assertThat(buffers.freeCount()).isZero();
    }
}
