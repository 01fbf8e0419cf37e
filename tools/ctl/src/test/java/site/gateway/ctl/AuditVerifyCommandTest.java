package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import site.gateway.audit.TrailWriter;

/** A trail written by the audit bundle's writer; the command is the bundle's verifier on the home's paths. */
class AuditVerifyCommandTest {
    @TempDir
    Path home;

    @Test
    void anIntactTrailIsOkAndAnEditedEntryIsNamed() throws Exception {
        Path trail = home.resolve("data/audit");
        TrailWriter.write(trail, 30);
        Ctl ok = Ctl.run(home, home, "audit", "verify");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("OK ").contains("no MAC key at");

        Path first;
        try (var files = Files.list(trail)) {
            first = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        lines.set(1, lines.get(1).replace("\"ok\"", "\"failed\""));
        Files.write(first, lines);
        Ctl broken = Ctl.run(home, home, "audit", "verify");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).startsWith("BROKEN at " + first.getFileName() + " line 2");
    }

    @Test
    void anExplicitKeyThatIsMissingIsAnIoError() throws Exception {
        TrailWriter.write(home.resolve("data/audit"), 3);
        Ctl missing = Ctl.run(home, home, "audit", "verify", "--key", "certs/none.key");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the audit trail");
    }
}
