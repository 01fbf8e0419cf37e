package site.gateway.plc.modbus;

/** The four Modbus data areas, with PLC4X's address prefixes and the function codes that read and write them. */
enum Area {
    COIL("coil:", "0", 1, true, true),
    DISCRETE_INPUT("discrete-input:", "1", 2, true, false),
    INPUT_REGISTER("input-register:", "3", 4, false, false),
    HOLDING_REGISTER("holding-register:", "4", 3, false, true);

    /** Long prefix ({@code holding-register:}); the short forms are {@code <digit>x} and {@code <digit>} + 4-5 digits. */
    final String prefix;
    final String digit;
    final int readFunction;
    /** One bit per element (coils, discrete inputs) rather than 16-bit registers. */
    final boolean bits;
    final boolean writable;

    Area(String prefix, String digit, int readFunction, boolean bits, boolean writable) {
        this.prefix = prefix;
        this.digit = digit;
        this.readFunction = readFunction;
        this.bits = bits;
        this.writable = writable;
    }

    /** Most elements one request may carry (Modbus: 2000 bits, 125 registers). */
    int protocolLimit() {
        return bits ? 2000 : 125;
    }
}
