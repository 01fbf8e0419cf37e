package site.gateway.support.plcdriver;

/** Numbers in a connection string's options, refused with the option's name and the reason. */
public final class Options {
    private Options() {
    }

    /** A decimal number, or a hexadecimal one with 0x (TSAPs). */
    public static int integer(String key, String value) {
        try {
            boolean hex = value.startsWith("0x") || value.startsWith("0X");
            return hex ? Integer.parseInt(value.substring(2), 16) : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        }
    }

    public static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be " + min + " … " + max + ", not " + value);
        }
        return value;
    }
}
