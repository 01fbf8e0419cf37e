package site.gateway.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandHasItsHelp() {
        for (String[] command : new String[][] {{"status"}, {"config", "check"}, {"audit", "verify"}, {"buffer", "stats"}, {"pki", "dev"}}) {
            String[] args = new String[command.length + 1];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--help";
            Ctl help = Ctl.run(dir, null, args);
            assertThat(help.exit()).as(String.join(" ", command)).isZero();
            assertThat(help.out()).startsWith("usage: gateway-ctl " + String.join(" ", command)).contains("Exit code");
        }
        Ctl overview = Ctl.run(dir, null, "--help");
        assertThat(overview.exit()).isZero();
        assertThat(overview.out()).contains("status", "config check", "audit verify", "buffer stats", "pki dev");
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertThat(Ctl.run(dir, null).exit()).isEqualTo(2);
        Ctl unknown = Ctl.run(dir, null, "config", "apply");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command: config apply");
        Ctl missingValue = Ctl.run(dir, null, "buffer", "stats", "--dir");
        assertThat(missingValue.exit()).isEqualTo(2);
        assertThat(missingValue.err()).contains("option --dir needs a value");
    }
}
