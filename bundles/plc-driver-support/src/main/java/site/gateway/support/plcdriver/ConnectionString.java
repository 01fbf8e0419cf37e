package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection string as PLC4X's TCP drivers take it: {@code code://host[:port][?options]} or
 * {@code code:tcp://...}, an IPv6 host in brackets ({@link #host} without them); with {@link #parseWithPath} also
 * a path ({@code code://host[:port][/path][?options]}, OPC UA's endpoint path). The options keep their order (a
 * later one overrides an earlier one of the same name, each checked as it comes).
 */
public record ConnectionString(String host, int port, String path, List<Option> options) {
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
        return parse(code, defaultPort, what, connection, false);
    }

    /** As {@link #parse}, with a path after the host ({@code ""} when there is none). */
    public static ConnectionString parseWithPath(String code, int defaultPort, String what, String connection) {
        return parse(code, defaultPort, what, connection, true);
    }

    private static ConnectionString parse(String code, int defaultPort, String what, String connection, boolean withPath) {
        Pattern url = Pattern.compile("^" + Pattern.quote(code) + ":(?:tcp:)?//(?<host>\\[[^\\]]+]|[^:/?\\[\\]]+)(?::(?<port>\\d{1,5}))?"
                + (withPath ? "(?<path>/[^?]*)?" : "/?") + "(?:\\?(?<options>.*))?$");
        Matcher m = url.matcher(connection.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " (" + code + "://host[:port]" + (withPath ? "[/path]" : "") + "[?options]): "
                    + connection);
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
        String path = withPath && m.group("path") != null ? m.group("path") : "";
        return new ConnectionString(host, port, path, List.copyOf(options));
    }
}
