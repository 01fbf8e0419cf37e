package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay cache on a real file: survives reopening, forgets entries past their retention, stays small. */
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
        assertThat(Files.readAllLines(dir.resolve(ReplayCache.FILE_NAME))).containsExactly("9000 c-2");
    }

    @Test
    void aTornLastLineIsIgnored() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            cache.remember("c-1", 5_000, 0);
        }
        Files.writeString(dir.resolve(ReplayCache.FILE_NAME), "50", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-1", 0)).isTrue();
            assertThat(cache.size()).isEqualTo(1);
            cache.remember("c-2", 5_000, 0);
        }
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-2", 0)).isTrue();
        }
    }

    @Test
    void theFileIsRewrittenWhenMostOfItHasExpired() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0, 20)) {
            for (int i = 0; i < 40; i++) {
                cache.remember("old-" + i, 10_000, 0);
            }
            assertThat(cache.linesInFile()).isEqualTo(40);
            cache.remember("new", 200_000, 70_000);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.linesInFile()).isEqualTo(1);
        }
        assertThat(Files.readAllLines(dir.resolve(ReplayCache.FILE_NAME))).containsExactly("200000 new");
    }
}
