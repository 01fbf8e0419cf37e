package site.gateway.plc.s7;

import static site.gateway.support.plcdriver.Options.integer;
import static site.gateway.support.plcdriver.Options.range;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection string as PLC4X's S7 driver takes it: {@code s7://host[:port][?options]} or {@code s7:tcp://...},
 * port 102 by default. Options (PLC4X's names and defaults): {@code remote-rack} (0), {@code remote-slot} (0),
 * {@code local-rack} (1), {@code local-slot} (1), {@code remote-tsap} / {@code local-tsap} (set one TSAP outright),
 * {@code pdu-size} (1024, what this side offers; the PLC's answer decides), {@code max-amq-caller} / {@code max-amq-callee}
 * (8), {@code controller-type} (kept for logs: this driver speaks the same S7comm to S7-300/400/1200/1500 and LOGO),
 * {@code request-timeout} (ms, 5000: for a connect, and for a wait without its own timeout). Other options
 * (PLC4X's {@code read-timeout}, {@code ping}, {@code retry-time}, transport options) are ignored.
 * TSAPs as PLC4X encodes them: local {@code 0x03 << 8 | rack << 4 | slot} (device group "others"), remote
 * {@code 0x01 << 8 | rack << 4 | slot} (PG/PC).
 */
record ConnectionSettings(String host, int port, int localTsap, int remoteTsap, int pduSize, int maxAmqCaller,
        int maxAmqCallee, String controllerType, int requestTimeoutMs) {
    static final String CODE = "s7";
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
            throw new IllegalArgumentException("not an S7 connection string (s7://host[:port][?options]): " + connection);
        }
        String host = m.group("host");
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = m.group("port") == null ? 102 : range("port", Integer.parseInt(m.group("port")), 1, 65535);
        int remoteRack = 0;
        int remoteSlot = 0;
        int localRack = 1;
        int localSlot = 1;
        int remoteTsap = -1;
        int localTsap = -1;
        int pdu = 1024;
        int amqCaller = 8;
        int amqCallee = 8;
        String controller = "ANY";
        int timeout = 5000;
        String options = m.group("options");
        if (options != null && !options.isEmpty()) {
            for (String option : options.split("&")) {
                int eq = option.indexOf('=');
                String key = eq < 0 ? option : option.substring(0, eq);
                String value = eq < 0 ? "" : option.substring(eq + 1);
                switch (key) {
                    case "remote-rack" -> remoteRack = range(key, integer(key, value), 0, 15);
                    case "remote-slot" -> remoteSlot = range(key, integer(key, value), 0, 15);
                    case "local-rack" -> localRack = range(key, integer(key, value), 0, 15);
                    case "local-slot" -> localSlot = range(key, integer(key, value), 0, 15);
                    case "remote-tsap" -> remoteTsap = range(key, integer(key, value), 0, 0xFFFF);
                    case "local-tsap" -> localTsap = range(key, integer(key, value), 0, 0xFFFF);
                    case "pdu-size" -> pdu = range(key, integer(key, value), 240, 960 * 4);
                    case "max-amq-caller" -> amqCaller = range(key, integer(key, value), 1, 0xFFFF);
                    case "max-amq-callee" -> amqCallee = range(key, integer(key, value), 1, 0xFFFF);
                    case "controller-type" -> controller = value;
                    case "request-timeout" -> timeout = range(key, integer(key, value), 1, 3_600_000);
                    default -> { } // PLC4X's read-timeout, ping, retry-time, transport options: nothing to set here
                }
            }
        }
        // PLC4X takes a TSAP given outright only when it is > 0
        int local = localTsap > 0 ? localTsap : 0x0300 | localRack << 4 | localSlot;
        int remote = remoteTsap > 0 ? remoteTsap : 0x0100 | remoteRack << 4 | remoteSlot;
        return new ConnectionSettings(host, port, local, remote, pdu, amqCaller, amqCallee, controller, timeout);
    }

    /** For logs and errors. */
    String peer() {
        return host + ":" + port + String.format(" (TSAP 0x%04x)", remoteTsap);
    }
}
