package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class EndpointSelectorTest {
    private static final URI A = URI.create("https://a:1");
    private static final URI B = URI.create("https://b:1");
    private static final URI C = URI.create("https://c:1");

    @Test
    void failsOverAfterTheConfiguredFailuresAndWraps() {
        EndpointSelector s = new EndpointSelector(List.of(A, B));
        assertThat(s.recordFailure(3)).isFalse();
        assertThat(s.recordFailure(3)).isFalse();
        assertThat(s.recordFailure(3)).isTrue();
        assertThat(s.current()).isEqualTo(B);
        assertThat(s.higherPriority()).containsExactly(A);
        s.recordFailure(3);
        s.recordFailure(3);
        s.recordFailure(3);
        assertThat(s.current()).isEqualTo(A);
    }

    @Test
    void successResetsTheFailureCount() {
        EndpointSelector s = new EndpointSelector(List.of(A, B));
        s.recordFailure(2);
        s.recordSuccess();
        assertThat(s.recordFailure(2)).isFalse();
        assertThat(s.current()).isEqualTo(A);
    }

    @Test
    void singleEndpointNeverMoves() {
        EndpointSelector s = new EndpointSelector(List.of(A));
        for (int i = 0; i < 5; i++) {
            assertThat(s.recordFailure(1)).isFalse();
        }
        assertThat(s.current()).isEqualTo(A);
    }

    @Test
    void retryAfterAppliesToItsEndpointOnly() {
        EndpointSelector s = new EndpointSelector(List.of(A, B));
        s.retryAfter(A, 10_000);
        assertThat(s.waitBeforeAttempt(4_000)).isEqualTo(6_000);
        s.select(1);
        assertThat(s.waitBeforeAttempt(4_000)).isZero();
        s.select(0);
        assertThat(s.waitBeforeAttempt(10_001)).isZero();
    }

    @Test
    void updateKeepsTheCurrentEndpointAtItsNewPositionOrRestartsAtTheFirst() {
        EndpointSelector s = new EndpointSelector(List.of(A, B));
        s.select(1);
        assertThat(s.update(List.of(C, B, A))).isTrue();
        assertThat(s.current()).isEqualTo(B);
        assertThat(s.currentIndex()).isEqualTo(1);
        assertThat(s.update(List.of(C, A))).isFalse();
        assertThat(s.current()).isEqualTo(C);
    }
}
