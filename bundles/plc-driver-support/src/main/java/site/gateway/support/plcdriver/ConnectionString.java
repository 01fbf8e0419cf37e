package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection string as PLC4X's TCP drivers take it: {@code code://host[:port][?options]} or
 * {@code code:tcp://...}, an IPv6 host in brackets. The options keep their order (a later one overrides an
 * earlier one of the same name, each checked as it comes).
 */
public record ConnectionString(String host, int port, List<Option> options) {
    /** One {@code key=value} option ({@code key} alone: an empty value). */
    public record Option(String key, String value) {
        /** The value as a number in {@code min … max} (decimal, or hexadecimal with 0x). */
        public int integer(int min, int max) {
            return Options.range(key, Options.integer(key, value), min, max);
        }
    }

    /**
     * Parses a connection string.
     *
     * @param what what the refusal calls a string of this code ("not a Modbus TCP connection string")
     * @throws IllegalArgumentException saying what is wrong
     */
    public static ConnectionString parse(String code, int defaultPort, String what, String connection) {
        Pattern url = Pattern.compile("^" + Pattern.quote(code)
                + ":(?:tcp:)?//(?<host>\\[[^\\]]+]|[^:/?\\[\\]]+)(?::(?<port>\\d{1,5}))?/?(?:\\?(?<options>.*))?$");
        Matcher m = url.matcher(connection.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " (" + code + "://host[:port][?options]): " + connection);
        }
        String host = m.group("host");
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group("port") == null ? defaultPort : Options.range("port", Integer.parseInt(m.group("port")), 1, 65535);
        List<Option> options = new ArrayList<>();
        String query = m.group("options");
        if (query != null && !query.isEmpty()) {
            for (String option : query.split("&")) {
                int eq = option.indexOf('=');
                options.add(new Option(eq < 0 ? option : option.substring(0, eq), eq < 0 ? "" : option.substring(eq + 1)));
            }
        }
        return new ConnectionString(host, port, List.copyOf(options));
    }
}
