package site.gateway.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code logs/gateway.log} of a home as the test reads it: its ERROR and WARN lines, kept after a run. */
final class GatewayLog {
    private GatewayLog() {
    }

    static String read(Path home) {
        try {
            Path log = home.resolve("logs/gateway.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read logs/gateway.log: " + e + ")";
        }
    }

    /** Lines at level ERROR or WARN (the layout of etc/logback.xml: time, level, thread, logger). */
    static List<String> errorsAndWarnings(String log) {
        return log.lines().filter(l -> l.matches("^\\S+ (ERROR|WARN) .*")).toList();
    }

    static List<String> matching(String log, String level, String text) {
        return log.lines().filter(l -> l.matches("^\\S+ " + level + " .*") && l.contains(text)).toList();
    }

    /** Copies the home's log and console output next to the test reports as {@code <name>-gateway.log}. */
    static void keep(Path home, String name) {
        try {
            Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
            for (String[] file : new String[][] {{"logs/gateway.log", "-gateway.log"}, {"console.out", "-console.out"}}) {
                Path from = home.resolve(file[0]);
                if (Files.exists(from)) {
                    Files.copy(from, reports.resolve(name + file[1]), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println(name + ": could not keep the gateway log: " + e);
        }
    }
}
