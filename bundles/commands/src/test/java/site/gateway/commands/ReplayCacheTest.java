package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay cache on a real file: survives reopening, forgets entries past their retention, stays small, and
 * knows which accepted commands still owe a result.
 */
class ReplayCacheTest {
    @TempDir
    Path dir;

    @Test
    void entriesSurviveReopeningUntilTheirRetentionPasses() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 1_000)) {
            cache.remember("c-1", "plc-1", 5_000, 1_000);
            cache.remember("c-2", "plc-1", 9_000, 1_000);
            cache.done("c-1");
            cache.done("c-2");
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
            cache.remember("c-1", "plc-1", 5_000, 0);
        }
        Files.writeString(dir.resolve(ReplayCache.FILE_NAME), "50", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-1", 0)).isTrue();
            assertThat(cache.size()).isEqualTo(1);
            cache.remember("c-2", "plc-1", 5_000, 0);
        }
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-2", 0)).isTrue();
            assertThat(cache.owed()).containsOnlyKeys("c-1", "c-2");
        }
    }

    @Test
    void theFileIsRewrittenWhenMostOfItHasExpired() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0, 20)) {
            for (int i = 0; i < 40; i++) {
                cache.remember("old-" + i, "plc-1", 10_000, 0);
                cache.done("old-" + i);
            }
            assertThat(cache.linesInFile()).isEqualTo(120);
            cache.remember("new", "plc-2", 200_000, 70_000);
            assertThat(cache.size()).isEqualTo(1);
            assertThat(cache.linesInFile()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(dir.resolve(ReplayCache.FILE_NAME)))
                .containsExactly("200000 new", "pending new plc-2");
    }

    @Test
    void resultsOwedSurviveReopeningAndDoneOnesAreNotOwed() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            cache.remember("c-1", "plc-1", 5_000, 0);
            cache.remember("c-2", "plc-1", 5_000, 0);
            cache.remember("c-3", "gateway", 5_000, 0);
            cache.done("c-2");
        }
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.owed()).containsExactly(entry("c-1", "plc-1"), entry("c-3", "gateway"));
            assertThat(cache.contains("c-2", 0)).as("done, still refused as a replay").isTrue();
            cache.done("c-1");
        }
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.owed()).containsExactly(entry("c-3", "gateway"));
        }
        try (ReplayCache cache = ReplayCache.open(dir, 5_001)) {
            assertThat(cache.owed()).as("past its retention: still owed, however long the gateway was down")
                    .containsExactly(entry("c-3", "gateway"));
            cache.done("c-3");
        }
        try (ReplayCache cache = ReplayCache.open(dir, 5_002)) {
            assertThat(cache.owed()).isEmpty();
            assertThat(cache.size()).as("then forgotten like any expired id").isZero();
        }
    }

    @Test
    void aPreviousVersionsLinesAreReadAndOweNoResult() throws IOException {
        Files.writeString(dir.resolve(ReplayCache.FILE_NAME), "5000 c-1\n6000 c-2\n", StandardCharsets.US_ASCII);
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-1", 0)).isTrue();
            assertThat(cache.contains("c-2", 5_500)).isTrue();
            assertThat(cache.owed()).isEmpty();
            cache.done("c-1");
        }
        assertThat(Files.readAllLines(dir.resolve(ReplayCache.FILE_NAME))).containsExactly("5000 c-1", "6000 c-2");
    }

    /** A line without its newline was torn by a crash during its forced append. */
    @Test
    void aTornDoneRecordLeavesTheResultOwedAndATornAcceptanceOwesNone() throws IOException {
        Path file = dir.resolve(ReplayCache.FILE_NAME);
        Files.writeString(file, "5000 c-1\npending c-1 plc-1\ndone c-1", StandardCharsets.US_ASCII);
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.owed()).containsExactly(entry("c-1", "plc-1"));
        }
        Files.writeString(file, "5000 c-2\npending c-2 plc-1", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        try (ReplayCache cache = ReplayCache.open(dir, 0)) {
            assertThat(cache.contains("c-2", 0)).isTrue();
            assertThat(cache.owed()).containsExactly(entry("c-1", "plc-1"));
        }
    }

    @Test
    void compactionKeepsResultsOwedPastTheirRetentionWhileRunning() throws IOException {
        try (ReplayCache cache = ReplayCache.open(dir, 0, 20)) {
            cache.remember("running", "plc-1", 10_000, 0);
            for (int i = 0; i < 20; i++) {
                cache.remember("old-" + i, "plc-1", 10_000, 0);
                cache.done("old-" + i);
            }
            cache.remember("new", "plc-1", 200_000, 70_000);
            assertThat(cache.linesInFile()).as("rewritten").isEqualTo(4);
            assertThat(cache.owed()).containsOnlyKeys("running", "new");
            cache.done("running");
            assertThat(cache.owed()).containsOnlyKeys("new");
        }
        try (ReplayCache cache = ReplayCache.open(dir, 70_000)) {
            assertThat(cache.owed()).containsOnlyKeys("new");
        }
    }

    @Test
    void aNewDirectoryTakesOverTheResultsOwed() throws IOException {
        try (ReplayCache old = ReplayCache.open(dir.resolve("a"), 0);
                ReplayCache moved = ReplayCache.open(dir.resolve("b"), 0)) {
            old.remember("c-1", "plc-1", 5_000, 0);
            old.remember("c-2", "plc-1", 5_000, 0);
            old.done("c-2");
            moved.rememberAll(old, 0);
            assertThat(moved.owed()).containsExactly(entry("c-1", "plc-1"));
        }
        try (ReplayCache moved = ReplayCache.open(dir.resolve("b"), 0)) {
            assertThat(moved.contains("c-2", 0)).isTrue();
            assertThat(moved.owed()).containsExactly(entry("c-1", "plc-1"));
        }
    }
}
