package site.gateway.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import site.gateway.api.audit.AuditEvent;

class ChainTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreJsonLinesWithEveryFieldAndAChainFromGenesis() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 1 << 20, 0, 100), (r, f) -> { });
        writer.start();
        writer.submit(new AuditEvent("wms", "command.received", "c-91e2", "ok",
                Map.of("kind", "move", "text", "quote \" backslash \\ newline \n tab \t é")));
        writer.close();

        List<JsonNode> entries = Trail.entries(dir);
        assertThat(entries).extracting(e -> e.get("action").asText())
                .containsExactly("audit.started", "command.received", "audit.stopped");
        JsonNode first = entries.get(0);
        assertThat(first.fieldNames()).toIterable()
                .containsExactly("ts", "seq", "actor", "action", "target", "outcome", "details", "prev", "hash");
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("prev").asText()).isEqualTo("0".repeat(64));
        JsonNode command = entries.get(1);
        assertThat(command.get("actor").asText()).isEqualTo("wms");
        assertThat(command.get("target").asText()).isEqualTo("c-91e2");
        assertThat(command.get("details").get("text").asText()).isEqualTo("quote \" backslash \\ newline \n tab \t é");
        assertThat(command.get("ts").asLong()).isPositive();

        List<String> lines = Trail.lines(dir);
        for (int i = 1; i < lines.size(); i++) {
            assertThat(Trail.JSON.readTree(lines.get(i)).get("prev").asText()).isEqualTo(sha256(lines.get(i - 1)));
        }
        String line = lines.get(1);
        String withoutHash = line.substring(0, line.lastIndexOf(",\"hash\":\"")) + "}";
        assertThat(command.get("hash").asText()).isEqualTo(sha256(withoutHash));
        assertThat(AuditVerifier.verify(dir).report()).startsWith("OK 3 entries (seq 1..3) in 1 file");
    }

    @Test
    void chainIsCarriedAcrossRotatedFilesAndRestarts() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (r, f) -> { });
        writer.start();
        Trail.recordN(writer, 100);
        writer.close();
        AuditWriter again = new AuditWriter(Trail.settings(dir, 4096, 0, 1000), (r, f) -> { });
        again.start();
        Trail.recordN(again, 50);
        again.close();

        List<Path> files = TrailFiles.list(dir);
        assertThat(files).hasSizeGreaterThan(3);
        for (int i = 1; i < files.size(); i++) {
            List<String> previous = Files.readAllLines(files.get(i - 1));
            String firstOfNext = Files.readAllLines(files.get(i)).get(0);
            JsonNode first = Trail.JSON.readTree(firstOfNext);
            assertThat(first.get("prev").asText()).isEqualTo(sha256(previous.get(previous.size() - 1)));
            assertThat(TrailFiles.firstSeq(files.get(i))).isEqualTo(first.get("seq").asLong());
            assertThat(Files.size(files.get(i - 1))).isLessThanOrEqualTo(4096);
        }
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).as(result.report()).isTrue();
        assertThat(result.entries()).isEqualTo(154); // 2 x (started + stopped) + 150
        assertThat(result.lastSeq()).isEqualTo(154);
    }

    @Test
    void retentionRemovesOldFilesAndRecordsIt() throws Exception {
        AuditWriter writer = new AuditWriter(Trail.settings(dir, 4096, 2, 1000), (r, f) -> { });
        writer.start();
        Trail.recordN(writer, 200);
        writer.close();

        assertThat(TrailFiles.list(dir)).hasSize(2);
        AuditVerifier.Result result = AuditVerifier.verify(dir);
        assertThat(result.ok()).as(result.report()).isTrue();
        assertThat(result.firstSeq()).isGreaterThan(1);
        assertThat(result.report()).contains("removed by retention");
        assertThat(Trail.lines(dir)).anyMatch(l -> l.contains("\"action\":\"audit.file-removed\""));
    }

    static String sha256(String line) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(line.getBytes(StandardCharsets.UTF_8)));
    }

    static void awaitWritten(AuditWriter writer, long n) {
        await().atMost(10, SECONDS).until(() -> writer.writtenTotal() >= n);
    }
}
