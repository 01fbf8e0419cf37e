package site.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trail of 4+ files, then one kind of tampering per test. */
class VerifierTest {
    @TempDir
    Path dir;
    List<Path> files;

    @BeforeEach
    void writeTrail() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (r, f) -> { });
        writer.start();
        Trail.recordN(writer, 100);
        writer.close();
        files = TrailFiles.list(dir);
        assertThat(files).hasSizeGreaterThan(3);
        assertThat(AuditVerifier.verify(dir).ok()).isTrue();
    }

    /** Issue 13 point 5: cutting the last entries off leaves a valid chain, but not one that reaches the mark. */
    @Test
    void aTrailCutAtItsEndIsBrokenAndTheWriterSaysSoAtStart() throws Exception {
        Files.delete(files.get(files.size() - 1)); // the whole last file
        Path previous = files.get(files.size() - 2);
        List<String> lines = new ArrayList<>(Files.readAllLines(previous));
        Files.write(previous, lines.subList(0, lines.size() - 3)); // and the last entries of the one before

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.report()).startsWith("BROKEN: truncated").contains("were cut off");

        List<String> reasons = new ArrayList<>();
        AuditWriter restarted = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (reason, failure) -> reasons.add(reason));
        restarted.start();
        restarted.close();
        assertThat(reasons).anySatisfy(r -> assertThat(r).contains("were cut off"));
        assertThat(Trail.withAction(dir, "audit.truncated")).singleElement();
        AuditVerifier.Result after = AuditVerifier.verify(dir);
        assertThat(after.ok()).as("the cut stays visible after the gateway wrote on").isFalse();
        assertThat(after.problem()).contains("audit.truncated");
        assertThat(previous).exists();
    }

    @Test
    void theHeadFollowsWhatIsOnTheDevice() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (r, f) -> { });
        writer.start();
        Trail.recordN(writer, 5);
        writer.close();
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(writer.synced()).isNotNull();
        assertThat(writer.synced().seq()).isEqualTo(result.lastSeq());
        assertThat(result.report()).contains("reaches its high-water mark (seq " + result.lastSeq());
    }

    @Test
    void editedEntryIsReportedWithFileAndLine() throws Exception {
        Path file = files.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(4, lines.get(4).replace("\"outcome\":\"ok\"", "\"outcome\":\"no\""));
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.file()).isEqualTo(file.getFileName().toString());
        assertThat(result.line()).isEqualTo(5);
        assertThat(result.problem()).startsWith("edited");
    }

    @Test
    void editedEntryWithRecomputedHashBreaksTheNextLinksPrev() throws Exception {
        Path file = files.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String edited = lines.get(4).replace("\"outcome\":\"ok\"", "\"outcome\":\"no\"");
        String body = edited.substring(0, edited.lastIndexOf(",\"hash\":\""));
        lines.set(4, body + ",\"hash\":\"" + ChainTest.sha256(body + "}") + "\"}");
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.line()).isEqualTo(6);
        assertThat(result.problem()).contains("chain broken");
    }

    @Test
    void deletedEntryIsReported() throws Exception {
        Path file = files.get(2);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        long deletedSeq = Trail.JSON.readTree(lines.get(3)).get("seq").asLong();
        lines.remove(3);
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.file()).isEqualTo(file.getFileName().toString());
        assertThat(result.line()).isEqualTo(4);
        assertThat(result.problem()).contains("entry " + deletedSeq + " was deleted");
    }

    @Test
    void reorderedEntriesAreReported() throws Exception {
        Path file = files.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        Files.write(file, lines);

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.line()).isEqualTo(3);
        assertThat(result.problem()).contains("reordered");
    }

    @Test
    void deletedMiddleFileIsReported() throws Exception {
        Files.delete(files.get(1));

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.file()).isEqualTo(files.get(2).getFileName().toString());
        assertThat(result.line()).isEqualTo(1);
        assertThat(result.problem()).contains("were deleted");
    }

    @Test
    void deletedOldestFileWithoutRetentionRecordIsReported() throws Exception {
        Files.delete(files.get(0));

        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).contains("no audit.file-removed entry");
    }

    @Test
    void truncatedLastLineAfterACrashIsToleratedAndCutAtTheNextStart() throws Exception {
        Path last = files.get(files.size() - 1);
        String partial = "{\"ts\":1764259200000,\"seq\":999,\"actor\":\"sys";
        Files.writeString(last, partial, StandardOpenOption.APPEND);

        AuditVerifier.Result crashed = AuditVerifier.verify(dir);
        assertThat(crashed.ok()).as(crashed.report()).isTrue();
        assertThat(crashed.report()).contains("is incomplete");

        AuditWriter restarted = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (r, f) -> { });
        restarted.start();
        restarted.close();
        AuditVerifier.Result after = AuditVerifier.verify(dir);
        assertThat(after.ok()).as(after.report()).isTrue();
        assertThat(after.report()).doesNotContain("incomplete");
        assertThat(Trail.withAction(dir, "audit.recovered")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("truncatedBytes").asLong())
                        .isEqualTo(partial.length()));
    }

    @Test
    void documentedCommandRunsWithTheBundleClassesAloneAndSetsTheExitCode() throws Exception {
        String classes = new File(AuditVerifier.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getPath();
        assertThat(runVerifier(classes)).startsWith("0:OK 102 entries");

        Files.delete(files.get(1));
        assertThat(runVerifier(classes)).startsWith("1:BROKEN at " + files.get(2).getFileName() + " line 1");
    }

    @Test
    void mainWithoutArgumentsPrintsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditVerifier.run(new String[0], System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage");
    }

    private String runVerifier(String classpath) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classpath, AuditVerifier.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }
}
