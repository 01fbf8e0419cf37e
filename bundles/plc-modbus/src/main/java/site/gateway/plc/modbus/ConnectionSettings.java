package site.gateway.plc.modbus;

import java.util.Locale;

import site.gateway.support.plcdriver.ConnectionString;

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

    /**
     * Parses a connection string.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ConnectionSettings parse(String connection) {
        ConnectionString parsed = ConnectionString.parse(CODE, 502, "not a Modbus TCP connection string", connection);
        int unit = 1;
        int timeout = 5000;
        PayloadByteOrder order = PayloadByteOrder.BIG_ENDIAN;
        int registers = 125;
        int coils = 2000;
        for (ConnectionString.Option option : parsed.options()) {
            switch (option.key()) {
                case "unit-identifier" -> unit = option.integer(0, 255);
                case "request-timeout" -> timeout = option.integer(1, 3_600_000);
                case "default-payload-byte-order" -> order = byteOrder(option.value());
                case "max-registers-per-request" -> registers = option.integer(1, 125);
                case "max-coils-per-request" -> coils = option.integer(1, 2000);
                default -> { } // PLC4X transport options (tcp.keep-alive, ...): nothing to set here
            }
        }
        return new ConnectionSettings(parsed.host(), parsed.port(), unit, timeout, order, registers, coils);
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
