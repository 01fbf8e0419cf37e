package site.gateway.chaos;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Runs the proxy by hand: {@code java -jar tools/chaos-proxy/target/chaos-proxy.jar <listenPort> <targetHost:port> [fault]},
 * then one fault per line on standard input ({@code latency 300ms}, {@code bandwidth 2048}, {@code reset},
 * {@code blackhole}, {@code slowloris 5ms}, {@code none}); an empty line prints the counters.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: chaos-proxy <listenPort> <targetHost:port> [fault]");
            System.exit(2);
        }
        int colon = args[1].lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(args[1].substring(0, colon), Integer.parseInt(args[1].substring(colon + 1)));
        try (ChaosProxy proxy = ChaosProxy.start(target, new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))) {
            if (args.length > 2) {
                proxy.setFault(Fault.parse(String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length))));
            }
            System.out.println(proxy);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null;) {
                try {
                    if (!line.isBlank()) {
                        proxy.setFault(Fault.parse(line));
                    }
                    System.out.println(proxy);
                } catch (IllegalArgumentException e) {
                    System.out.println(e.getMessage());
                }
            }
        }
    }
}
