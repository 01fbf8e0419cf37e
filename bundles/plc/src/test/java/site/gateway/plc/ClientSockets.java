package site.gateway.plc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Established TCP connections to a local server port, as the kernel lists them (/proc/net/tcp, tcp6): what a
 * server would count as its clients, whichever thread or library opened them. Linux only, like the build machines.
 */
final class ClientSockets {
    private static final String ESTABLISHED = "01";

    private ClientSockets() {
    }

    /** Connections whose remote end is 127.0.0.1/::1 port {@code serverPort}, i.e. the clients' ends. */
    static long to(int serverPort) {
        return count("/proc/net/tcp", serverPort) + count("/proc/net/tcp6", serverPort);
    }

    private static long count(String table, int serverPort) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(table));
        } catch (IOException e) {
            return 0;
        }
        String port = String.format(":%04X", serverPort);
        return lines.stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                .filter(f -> f.length > 3 && f[2].endsWith(port) && f[3].equals(ESTABLISHED)).count();
    }
}
