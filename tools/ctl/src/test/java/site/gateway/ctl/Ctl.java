package site.gateway.ctl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs gateway-ctl in-process on a home, as bin/gateway-ctl would, and keeps what it printed. */
record Ctl(int exit, String out, String err) {

    static Ctl run(Path distribution, Path home, String... args) {
        String previous = System.getProperty("gateway.distribution");
        System.setProperty("gateway.distribution", distribution.toString());
        try {
            List<String> all = new ArrayList<>(List.of(args));
            if (home != null && all.size() > 0 && !all.contains("--help")) {
                all.add("--home");
                all.add(home.toString());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Ctl(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (previous == null) {
                System.clearProperty("gateway.distribution");
            } else {
                System.setProperty("gateway.distribution", previous);
            }
        }
    }
}
