package site.gateway.plc.s7;

/** The S7 memory areas this driver reads and writes, with their S7comm area codes. */
enum Area {
    INPUTS(0x81), OUTPUTS(0x82), FLAGS(0x83), DATA_BLOCKS(0x84);

    final int code;

    Area(int code) {
        this.code = code;
    }

    /** The area a PLC4X address letter names (German letters too: E inputs, A outputs), or null. */
    static Area ofLetter(String letter) {
        return switch (letter) {
            case "I", "E" -> INPUTS;
            case "Q", "A" -> OUTPUTS;
            case "M" -> FLAGS;
            default -> null;
        };
    }
}
