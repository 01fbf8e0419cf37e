package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay cache on a real MVStore file: survives reopening, forgets entries past their retention. */
class ReplayCacheTest {
    @TempDir
    Path dir;

    @Test
    void entriesSurviveReopeningUntilTheirRetentionPasses() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 1_000)) {
            cache.remember("c-1", 5_000, 1_000);
            cache.remember("c-2", 9_000, 1_000);
            assertThat(cache.contains("c-1", 2_000)).isTrue();
            assertThat(cache.contains("c-3", 2_000)).isFalse();
        }
        try (ReplayCache cache = ReplayCache.open(dir, 6_000)) {
            assertThat(cache.contains("c-1", 6_000)).isFalse();
            assertThat(cache.contains("c-2", 6_000)).isTrue();
            assertThat(cache.size()).as("c-1 pruned at open").isEqualTo(1);
        }
    }

    @Test
    void pruningRunsWhileRemembering() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            for (int i = 0; i < 100; i++) {
                cache.remember("old-" + i, 10_000, 0);
            }
            cache.remember("new", 200_000, 70_000);
            assertThat(cache.size()).isEqualTo(1);
        }
    }
}
