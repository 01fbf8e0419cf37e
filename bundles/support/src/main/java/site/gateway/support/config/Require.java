package site.gateway.support.config;

/**
 * Checks of single configuration values, for the settings functions that {@link ConfigGate} runs: each returns
 * the value when it is valid and otherwise throws {@link IllegalArgumentException} with a message naming the
 * setting, which ConfigGate logs and audits as the reason.
 */
public final class Require {
    private Require() {
    }

    /** {@code value} if it is at least {@code min}; else "NAME must be at least MIN, got VALUE". */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** {@code value} if it is at least {@code min}; else "NAME must be at least MIN, got VALUE". */
    public static int atLeast(String name, int value, int min) {
        return (int) atLeast(name, (long) value, min);
    }

    /** {@code value} if it is 0 or more; else "NAME must not be negative, got VALUE". */
    public static int notNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }

    /** {@code value} if it has other characters than white space; else "NAME must not be empty". */
    public static String notBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
    }
}
