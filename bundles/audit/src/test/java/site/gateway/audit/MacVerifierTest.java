package site.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries authenticated with the MAC key: a trail rewritten with a consistent chain is still caught. */
class MacVerifierTest {
    @TempDir
    Path dir;
    @TempDir
    Path keys;
    Path keyFile;
    List<Path> files;

    @BeforeEach
    void writeTrail() throws Exception {
        keyFile = keys.resolve("audit-mac.key");
        MacKey key = MacKey.loadOrCreate(keyFile);
        AuditWriter writer = new AuditWriter(new AuditWriter.Settings(dir, 4096, 0, 1000, 0, 50, key), (r, f) -> { });
        writer.start();
        Trail.recordN(writer, 60);
        writer.close();
        files = TrailFiles.list(dir);
        assertThat(files).hasSizeGreaterThan(2);
    }

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndEveryEntryCarriesAMacThatVerifies() throws Exception {
        assertThat(Files.size(keyFile)).isEqualTo(MacKey.BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(MacKey.loadOrCreate(keyFile)).as("the same key, not a new one").isEqualTo(MacKey.load(keyFile));
        assertThat(Trail.lines(dir)).allMatch(line -> line.matches(".*,\"hash\":\"[0-9a-f]{64}\",\"mac\":\"[0-9a-f]{64}\"}"));

        AuditVerifier.Result keyed = AuditVerifier.verify(dir, keyFile);
        assertThat(keyed.ok()).isTrue();
        assertThat(keyed.notes()).anyMatch(n -> n.startsWith("every entry's MAC verifies"));
        AuditVerifier.Result plain = AuditVerifier.verify(dir);
        assertThat(plain.ok()).isTrue();
        assertThat(plain.notes()).anyMatch(n -> n.contains("carry a MAC, not checked"));
    }

    @Test
    void anEntryRewrittenWithTheWholeChainRecomputedPassesTheHashesButNotTheMac() throws Exception {
        Path file = files.get(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"outcome\":\"ok\"", "\"outcome\":\"no\""));
        Files.write(file, lines);
        rechainFrom(1);

        assertThat(AuditVerifier.verify(dir).problem()).as("the last entry's hash no longer matches the high-water mark")
                .contains("high-water mark");
        Files.delete(HeadMark.beside(dir)); // the attacker removed it too
        assertThat(AuditVerifier.verify(dir).ok()).as("without the key the rewrite is consistent").isTrue();
        AuditVerifier.Result keyed = AuditVerifier.verify(dir, keyFile);
        assertThat(keyed.ok()).isFalse();
        assertThat(keyed.file()).isEqualTo(file.getFileName().toString());
        assertThat(keyed.line()).isEqualTo(3);
        assertThat(keyed.problem()).contains("MAC").contains("does not verify");
    }

    @Test
    void anEntryWithoutMacAndAnotherKeyAreReported() throws Exception {
        Path file = files.get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replaceAll(",\"mac\":\"[0-9a-f]{64}\"", ""));
        Files.write(file, lines);
        rechainFrom(0);
        AuditVerifier.Result stripped = AuditVerifier.verify(dir, keyFile);
        assertThat(stripped.ok()).isFalse();
        assertThat(stripped.line()).isEqualTo(2);
        assertThat(stripped.problem()).contains("has no MAC");

        Path other = keys.resolve("other.key");
        MacKey.loadOrCreate(other);
        AuditVerifier.Result wrongKey = AuditVerifier.verify(dir, other);
        assertThat(wrongKey.ok()).isFalse();
        assertThat(wrongKey.line()).isEqualTo(1);
    }

    /** What a tamperer without the key can do: recompute prev and hash of every entry from file {@code from} on. */
    private void rechainFrom(int from) throws Exception {
        String prevLine = null;
        for (int fi = 0; fi < files.size(); fi++) {
            List<String> lines = new ArrayList<>(Files.readAllLines(files.get(fi)));
            for (int li = 0; li < lines.size(); li++) {
                String line = lines.get(li);
                if (fi >= from && prevLine != null) {
                    int prevAt = line.lastIndexOf(",\"prev\":\"");
                    int hashAt = line.lastIndexOf(",\"hash\":\"");
                    String mac = line.substring(hashAt + 9 + 64 + 1, line.length() - 1); // ,"mac":".." or empty
                    String signed = line.substring(0, prevAt) + ",\"prev\":\"" + ChainTest.sha256(prevLine) + "\"";
                    line = signed + ",\"hash\":\"" + ChainTest.sha256(signed + "}") + "\"" + mac + "}";
                    lines.set(li, line);
                }
                prevLine = line;
            }
            if (fi >= from) {
                Files.write(files.get(fi), lines);
            }
        }
    }
}
