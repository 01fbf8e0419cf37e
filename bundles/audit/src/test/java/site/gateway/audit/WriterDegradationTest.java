package site.gateway.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterDegradationTest {
    @TempDir
    Path dir;
    final List<String> alerts = new CopyOnWriteArrayList<>();

    @Test
    void fullQueueNeverBlocksCountsLossRaisesOneAlertAndRecordsTheLoss() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 1 << 20, 0, 5),
                (reason, writeFailure) -> alerts.add(writeFailure + ":" + reason));
        // The writer thread is not running yet: the queue cannot drain, so a record() that waited for room
        // would wait forever. The timeout only catches that hang; how fast record() is lives in AuditCostHarness.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Trail.recordN(writer, 2_000),
                "record() blocked on a full queue");
        assertThat(writer.lostTotal()).isEqualTo(1_995);
        await().atMost(10, SECONDS).until(() -> alerts.size() == 1);
        assertThat(alerts.get(0)).startsWith("false:audit queue full");

        writer.start();
        await().atMost(10, SECONDS).until(() -> writer.queued() == 0);
        writer.close();
        assertThat(Trail.withAction(dir, "test.op")).hasSize(5);
        assertThat(Trail.withAction(dir, "audit.lost")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("count").asLong()).isEqualTo(1_995));
        assertThat(AuditVerifier.verify(dir).ok()).isTrue();
        assertThat(alerts).hasSize(1);
    }

    @Test
    void writeFailureKeepsEntriesRaisesACriticalAlertAndResumes() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 4096, 0, 10_000),
                (reason, writeFailure) -> alerts.add(writeFailure + ":" + reason));
        writer.start();
        Trail.recordN(writer, 10);
        await().atMost(10, SECONDS).until(() -> writer.writtenTotal() >= 11);
        // the next file the writer will need cannot be created: directories have taken the names
        List<Path> files = TrailFiles.list(dir);
        assertThat(files).hasSize(1);
        long nextSeq = Trail.entries(dir).size() + 1;
        List<Path> blockers = new java.util.ArrayList<>();
        for (long seq = nextSeq; seq < nextSeq + 60; seq++) {
            blockers.add(Files.createDirectory(dir.resolve(TrailFiles.name(seq))));
        }

        Trail.recordN(writer, 40);
        await().atMost(10, SECONDS).until(() -> !alerts.isEmpty());
        assertThat(alerts.get(0)).startsWith("true:audit trail cannot");
        assertThat(writer.lostTotal()).isZero();

        for (Path blocker : blockers) {
            Files.delete(blocker);
        }
        await().atMost(10, SECONDS).until(() -> writer.writtenTotal() >= 52);
        writer.close();

        assertThat(Trail.withAction(dir, "test.op")).hasSize(50);
        assertThat(Trail.withAction(dir, "audit.write-failed")).hasSize(1);
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).as(result.report()).isTrue();
        assertThat(alerts).hasSize(1);
    }
}
