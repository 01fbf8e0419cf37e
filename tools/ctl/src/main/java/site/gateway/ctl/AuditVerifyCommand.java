package site.gateway.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import site.gateway.audit.AuditVerifier;

/** {@code audit verify}: the audit bundle's own {@link AuditVerifier}, on the trail and key the home's conf names. */
final class AuditVerifyCommand implements Command {
    @Override
    public String help() {
        return """
                usage: gateway-ctl audit verify [--home DIR] [--dir DIR] [--key FILE]
                  Checks the audit trail: hash chain, order, and with the MAC key every entry's MAC, and
                  names the first entry that was edited, deleted or reordered (file and line).
                  --dir DIR    the trail (default: directory of conf/gateway.audit.cfg, else data/audit)
                  --key FILE   the MAC key (default: macKeyFile of conf/gateway.audit.cfg, else
                               certs/audit-mac.key, used when it exists; without it only the chain is checked)
                  Exit code: 0 intact, 1 broken, 2 usage/I/O error.
                """;
    }

    @Override
    public int run(Options options, Home home, PrintStream out, PrintStream err) {
        Path dir = home.resolve(options.get("dir", home.cfg("gateway.audit", "directory", "data/audit")));
        String explicitKey = options.get("key");
        Path key = home.resolve(explicitKey != null ? explicitKey : home.cfg("gateway.audit", "macKeyFile", "certs/audit-mac.key"));
        boolean withKey = explicitKey != null || Files.exists(key);
        try {
            AuditVerifier.Result result = withKey ? AuditVerifier.verify(dir, key) : AuditVerifier.verify(dir);
            out.println(result.report());
            if (!withKey) {
                out.println("note: no MAC key at " + key + ": the chain was checked, the MACs were not");
            }
            return result.ok() ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read the audit trail " + dir + (withKey ? " or its key " + key : "") + ": " + e);
            return 2;
        }
    }
}
