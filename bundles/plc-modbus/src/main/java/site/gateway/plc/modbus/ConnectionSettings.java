package site.gateway.plc.modbus;

import static site.gateway.support.plcdriver.Options.integer;
import static site.gateway.support.plcdriver.Options.range;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection string as PLC4X's Modbus TCP driver takes it: {@code modbus-tcp://host[:port][?options]} or
 * {@code modbus-tcp:tcp://...}, port 502 by default. Options (PLC4X's names): {@code unit-identifier} (1),
 * {@code request-timeout} (ms, 5000: for a connect, and for a wait without its own timeout),
 * {@code default-payload-byte-order} (BIG_ENDIAN), {@code max-registers-per-request} (125),
 * {@code max-coils-per-request} (2000). Other options are ignored, as PLC4X's transport options mean
 * nothing to a plain socket.
 */
record ConnectionSettings(String host, int port, int unitId, int requestTimeoutMs, PayloadByteOrder byteOrder,
        int maxRegisters, int maxCoils) {
    static final String CODE = "modbus-tcp";
    private static final Pattern URL = Pattern.compile(
            "^" + CODE + ":(?:tcp:)?//(?<host>\\[[^\\]]+]|[^:/?\\[\\]]+)(?::(?<port>\\d{1,5}))?/?(?:\\?(?<options>.*))?$");

    /**
     * Parses a connection string.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ConnectionSettings parse(String connection) {
        Matcher m = URL.matcher(connection.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Modbus TCP connection string (modbus-tcp://host[:port][?options]): "
                    + connection);
        }
        String host = m.group("host");
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group("port") == null ? 502 : range("port", Integer.parseInt(m.group("port")), 1, 65535);
        int unit = 1;
        int timeout = 5000;
        PayloadByteOrder order = PayloadByteOrder.BIG_ENDIAN;
        int registers = 125;
        int coils = 2000;
        String options = m.group("options");
        if (options != null && !options.isEmpty()) {
            for (String option : options.split("&")) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : option.substring(eq + 1);
                switch (key) {
                    case "unit-identifier" -> unit = range(key, integer(key, value), 0, 255);
                    case "request-timeout" -> timeout = range(key, integer(key, value), 1, 3_600_000);
                    case "default-payload-byte-order" -> order = byteOrder(value);
                    case "max-registers-per-request" -> registers = range(key, integer(key, value), 1, 125);
                    case "max-coils-per-request" -> coils = range(key, integer(key, value), 1, 2000);
                    default -> { } // PLC4X transport options (tcp.keep-alive, ...): nothing to set here
                }
            }
        }
        return new ConnectionSettings(host, port, unit, timeout, order, registers, coils);
    }

    /** Most elements one read request may carry for {@code area}. */
    int limit(Area area) {
        return area.bits ? maxCoils : maxRegisters;
    }

    /** For logs and errors. */
    String peer() {
        return host + ":" + port + " unit " + unitId;
    }

    private static PayloadByteOrder byteOrder(String value) {
        try {
            return PayloadByteOrder.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("default-payload-byte-order must be one of "
                    + java.util.Arrays.toString(PayloadByteOrder.values()) + ", not '" + value + "'");
        }
    }
}
