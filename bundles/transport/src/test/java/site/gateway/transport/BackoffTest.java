package site.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Settings defaults = Settings.from(SettingsTest.config(Map.of()));

    @Test
    void boundGrowsByTheFactorUpToTheMaximum() {
        Backoff backoff = new Backoff(bound -> bound); // the upper end of the jitter
        List<Long> delays = List.of(backoff.next(defaults), backoff.next(defaults), backoff.next(defaults),
                backoff.next(defaults), backoff.next(defaults), backoff.next(defaults), backoff.next(defaults));
        assertThat(delays).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 10_000L, 10_000L);
        backoff.reset();
        assertThat(backoff.next(defaults)).isEqualTo(500);
    }

    @Test
    void fullJitterStaysWithinZeroAndTheBound() {
        Backoff backoff = new Backoff(bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            backoff.reset();
            for (int k = 0; k < 3; k++) {
                backoff.next(defaults);
            }
            long d = backoff.next(defaults); // the 4th delay: bound 4000
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(400);
        assertThat(max).isBetween(3600L, 4000L);
    }

    @Test
    void changedSettingsApplyToTheNextDelay() {
        Backoff backoff = new Backoff(bound -> bound);
        backoff.next(defaults);
        Settings faster = Settings.from(SettingsTest.config(Map.of("backoffInitialMs", 10, "backoffMaxMs", 15)));
        assertThat(backoff.next(faster)).isEqualTo(15);
    }
}
