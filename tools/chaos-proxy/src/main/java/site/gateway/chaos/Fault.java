package site.gateway.chaos;

import java.time.Duration;
import java.util.Locale;

/**
 * A network fault the {@link ChaosProxy} applies to the bytes it forwards, in both directions.
 * Switching faults takes effect at once, on new and on open connections.
 */
public sealed interface Fault {

    /** Forwards unchanged. */
    record None() implements Fault {
        @Override
        public String toString() {
            return "none";
        }
    }

    /** Every chunk is forwarded {@code delay} after it was read; chunks stay in order and are pipelined, as on a long link. */
    record Latency(Duration delay) implements Fault {
        @Override
        public String toString() {
            return "latency " + delay.toMillis() + "ms";
        }
    }

    /** At most {@code bytesPerSecond} forwarded per direction and connection. */
    record Bandwidth(long bytesPerSecond) implements Fault {
        public Bandwidth {
            if (bytesPerSecond <= 0) {
                throw new IllegalArgumentException("bandwidth must be positive: " + bytesPerSecond);
            }
        }

        @Override
        public String toString() {
            return "bandwidth " + bytesPerSecond + "B/s";
        }
    }

    /** Open connections are reset (TCP RST), new ones are accepted and reset at once. */
    record Reset() implements Fault {
        @Override
        public String toString() {
            return "reset";
        }
    }

    /**
     * Half-open: connections are accepted (and open ones kept) but nothing is forwarded nor closed, ever,
     * as when a NAT or firewall on the way forgets the flow. Only the peers' own timeouts end them.
     */
    record BlackHole() implements Fault {
        @Override
        public String toString() {
            return "blackhole";
        }
    }

    /** The proxy reads one byte at a time, each {@code perByte} apart: a slow reader that fills the sender's buffers. */
    record SlowLoris(Duration perByte) implements Fault {
        @Override
        public String toString() {
            return "slowloris " + perByte.toMillis() + "ms";
        }
    }

    static Fault none() {
        return new None();
    }

    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    static Fault bandwidth(long bytesPerSecond) {
        return new Bandwidth(bytesPerSecond);
    }

    static Fault reset() {
        return new Reset();
    }

    static Fault blackHole() {
        return new BlackHole();
    }

    static Fault slowLoris(Duration perByte) {
        return new SlowLoris(perByte);
    }

    /**
     * Parses the text form: {@code none}, {@code latency 200ms}, {@code bandwidth 4096} (bytes/s),
     * {@code reset}, {@code blackhole}, {@code slowloris 2ms}.
     */
    static Fault parse(String text) {
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        String argument = words.length > 1 ? words[1] : "";
        switch (words[0]) {
            case "none":
                return none();
            case "latency":
                return latency(millis(argument, text));
            case "bandwidth":
                return bandwidth(number(argument.replace("b/s", ""), text));
            case "reset":
                return reset();
            case "blackhole":
                return blackHole();
            case "slowloris":
                return slowLoris(millis(argument, text));
            default:
                throw new IllegalArgumentException("unknown fault '" + text
                        + "': none | latency <n>ms | bandwidth <bytes/s> | reset | blackhole | slowloris <n>ms");
        }
    }

    private static Duration millis(String argument, String text) {
        return Duration.ofMillis(number(argument.replace("ms", ""), text));
    }

    private static long number(String argument, String text) {
        try {
            return Long.parseLong(argument);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fault '" + text + "' needs a number", e);
        }
    }
}
