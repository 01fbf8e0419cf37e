package site.gateway.ctl;

import java.io.PrintStream;
import java.util.Set;

/** One subcommand of gateway-ctl. */
interface Command {
    /** Its usage text, printed by {@code --help}. */
    String help();

    /** Options that take no value (e.g. {@code --json}); every other option takes one. */
    default Set<String> flags() {
        return Set.of();
    }

    int run(Options options, Home home, PrintStream out, PrintStream err);
}
