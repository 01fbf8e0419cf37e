package site.gateway.ctl;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code gateway-ctl}: the operator's command line. Each subcommand reads the gateway's home (conf/,
 * data/, certs/) or asks the running gateway, and never changes the gateway's state, except
 * {@code pki dev} which writes a development PKI where it is told.
 *
 * <p>Exit codes: 0 fine, 1 the check found a problem (or the gateway is degraded), 2 usage error,
 * 3 the gateway is not running / the file is in use (LSB status convention).
 */
public final class Main {
    static final String USAGE = """
            usage: gateway-ctl <command> [options]     (gateway-ctl <command> --help for its options)

              status          state of the running gateway: identity, WMS session, buffer, PLCs (--json)
              config check    checks every conf/*.cfg against the bundles' MetaType definitions
              audit verify    checks the audit trail's hash chain and MACs
              buffer stats    messages, bytes and age of the buffer on disk (read-only)
              pki dev         writes a development PKI (never for production)
              wait-ready      waits until the running gateway is healthy (systemd's ExecStartPost)

            Common options: --home DIR (default: $GATEWAY_HOME, else the distribution folder)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = Arrays.asList(args);
        if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h") || words.get(0).equals("help")) {
            (words.isEmpty() ? err : out).print(USAGE);
            return words.isEmpty() ? 2 : 0;
        }
        Command command = switch (words.get(0)) {
            case "status" -> new StatusCommand();
            case "config" -> second(words, "check") ? new ConfigCheckCommand() : null;
            case "audit" -> second(words, "verify") ? new AuditVerifyCommand() : null;
            case "buffer" -> second(words, "stats") ? new BufferStatsCommand() : null;
            case "pki" -> second(words, "dev") ? new PkiDevCommand() : null;
            case "wait-ready" -> new WaitReadyCommand();
            default -> null;
        };
        if (command == null) {
            err.println("unknown command: " + String.join(" ", words.subList(0, Math.min(2, words.size()))));
            err.print(USAGE);
            return 2;
        }
        List<String> rest = words.subList(Set.of("status", "wait-ready").contains(words.get(0)) ? 1 : 2, words.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.help());
            return 0;
        }
        try {
            Options options = Options.parse(rest, command.flags());
            return command.run(options, Home.from(options), out, err);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.print(command.help());
            return 2;
        }
    }

    private static boolean second(List<String> words, String expected) {
        return words.size() >= 2 && words.get(1).equals(expected);
    }
}
