package site.gateway.plc.s7;

import site.gateway.support.plcdriver.ConnectionString;

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

    /**
     * Parses a connection string.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ConnectionSettings parse(String connection) {
        ConnectionString parsed = ConnectionString.parse(CODE, 102, "not an S7 connection string", connection);
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
        for (ConnectionString.Option option : parsed.options()) {
            switch (option.key()) {
                case "remote-rack" -> remoteRack = option.integer(0, 15);
                case "remote-slot" -> remoteSlot = option.integer(0, 15);
                case "local-rack" -> localRack = option.integer(0, 15);
                case "local-slot" -> localSlot = option.integer(0, 15);
                case "remote-tsap" -> remoteTsap = option.integer(0, 0xFFFF);
                case "local-tsap" -> localTsap = option.integer(0, 0xFFFF);
                case "pdu-size" -> pdu = option.integer(240, 960 * 4);
                case "max-amq-caller" -> amqCaller = option.integer(1, 0xFFFF);
                case "max-amq-callee" -> amqCallee = option.integer(1, 0xFFFF);
                case "controller-type" -> controller = option.value();
                case "request-timeout" -> timeout = option.integer(1, 3_600_000);
                default -> { } // PLC4X's read-timeout, ping, retry-time, transport options: nothing to set here
            }
        }
        // PLC4X takes a TSAP given outright only when it is > 0
        int local = localTsap > 0 ? localTsap : 0x0300 | localRack << 4 | localSlot;
        int remote = remoteTsap > 0 ? remoteTsap : 0x0100 | remoteRack << 4 | remoteSlot;
        return new ConnectionSettings(parsed.host(), parsed.port(), local, remote, pdu, amqCaller, amqCallee, controller, timeout);
    }

    /** For logs and errors. */
    String peer() {
        return host + ":" + port + String.format(" (TSAP 0x%04x)", remoteTsap);
    }
}
